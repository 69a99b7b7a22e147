import type { CancellationToken, CodeAction } from 'vscode-languageserver';
import { isDisableActionData } from '../actions/index';
import { verifiedDisableEdit } from '../actions/resolve-disable';
import { documentEdit } from '../actions/workspace-edit';
import { throwIfCancelled } from '../cancellation';
import { lineCommentToken } from '../comments';
import type { ServerContext } from '../context';

/** Adds the edit to a disable action, checked by linting the result; without a safe edit, none. */
export async function resolveDisableAction(context: ServerContext, action: CodeAction, token: CancellationToken): Promise<CodeAction> {
  const data: unknown = action.data;
  if (!isDisableActionData(data)) return action;
  const snapshot = await context.session.snapshot(data.uri);
  throwIfCancelled(token);
  if (!snapshot || snapshot.version !== data.version) {
    context.connection.console.info(`"${action.title}" was not applied: ${data.uri} changed since the action was offered.`);
    return action;
  }
  const token_ = lineCommentToken(snapshot.languageId);
  if (token_ === undefined) return action;
  const linting = await context.linting;
  const edit = await verifiedDisableEdit(linting, snapshot, data.scope, data.line, data.ruleId, token_);
  throwIfCancelled(token);
  if (!edit) {
    const reason = `No place for a disable comment for ${data.ruleId} on line ${data.line + 1} silences it without changing the code.`;
    context.connection.console.warn(reason);
    context.connection.window.showWarningMessage(reason);
    return action;
  }
  return { ...action, edit: documentEdit(context.session.capabilities, data.uri, data.version, [edit]) };
}

export function codeActionResolve(context: ServerContext, action: CodeAction, token: CancellationToken): Promise<CodeAction> {
  throwIfCancelled(token);
  return resolveDisableAction(context, action, token);
}
