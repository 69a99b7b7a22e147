import { CodeActionKind, type CancellationToken, type CodeAction, type CodeActionParams } from 'vscode-languageserver';
import { fixAllEdits } from '../actions/fix-all';
import { isDisableActionData, quickFixes } from '../actions/index';
import { documentEdit } from '../actions/workspace-edit';
import { throwIfCancelled } from '../cancellation';
import { lineCommentToken } from '../comments';
import type { ServerContext } from '../context';
import { FIX_ALL_KIND } from '../protocol';
import { resolveDisableAction } from './code-action-resolve';

/** Whether a code action of `kind` was asked for (`only` lists kinds or their parents). */
function requested(only: readonly string[] | undefined, kind: string): boolean {
  return only === undefined || only.some((wanted) => kind === wanted || kind.startsWith(`${wanted}.`));
}

export async function codeAction(context: ServerContext, params: CodeActionParams, token: CancellationToken): Promise<CodeAction[] | null> {
  throwIfCancelled(token);
  const { uri } = params.textDocument;
  const { session } = context;
  const version = session.version(uri);
  const languageId = session.languageId(uri);
  if (version === undefined || languageId === undefined) return null;
  const only = params.context.only;
  const actions: CodeAction[] = [];

  if (requested(only, CodeActionKind.QuickFix)) {
    const fixes = quickFixes({
      uri,
      version,
      diagnostics: params.context.diagnostics,
      capabilities: session.capabilities,
      commentToken: lineCommentToken(languageId),
    });
    const canResolve = session.capabilities.textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    for (const action of fixes) {
      // Clients that cannot resolve get the checked disable edit now.
      actions.push(!canResolve && isDisableActionData(action.data) ? await resolveDisableAction(context, action, token) : action);
    }
  }

  // Fix-all is computed only when asked for by kind (fix on save, "Source Action..."): it lints.
  if (only !== undefined && requested(only, FIX_ALL_KIND)) {
    const snapshot = await session.snapshot(uri);
    throwIfCancelled(token);
    if (snapshot?.settings.enable === true) {
      const linting = await context.linting;
      const result = await fixAllEdits(linting, snapshot);
      throwIfCancelled(token);
      if ('refused' in result) {
        context.connection.console.warn(`Fix all for ${uri} skipped: ${result.refused}.`);
      } else if (result.edits.length > 0) {
        actions.push({
          title: 'Fix all auto-fixable otel-async problems',
          kind: FIX_ALL_KIND,
          edit: documentEdit(session.capabilities, uri, snapshot.version, result.edits),
        });
      }
    }
  }
  return actions;
}
