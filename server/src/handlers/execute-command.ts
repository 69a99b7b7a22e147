import type { ExecuteCommandParams } from 'vscode-languageserver';
import { documentEdit } from '../actions/workspace-edit';
import { fixAllEdits } from '../actions/fix-all';
import { isDocumentationUrl } from '../actions/show-docs';
import type { ServerContext } from '../context';
import { SERVER_COMMANDS, type FixAllCommandArguments } from '../protocol';

function isFixAllArguments(value: unknown): value is FixAllCommandArguments {
  return typeof value === 'object' && value !== null && typeof (value as { uri?: unknown }).uri === 'string';
}

/** Returns whether the command did something; bad arguments are logged, never thrown at the user. */
export async function executeCommand(context: ServerContext, params: ExecuteCommandParams): Promise<boolean> {
  const { connection } = context;
  const argument: unknown = params.arguments?.[0];
  switch (params.command) {
    case SERVER_COMMANDS.showDocumentation: {
      if (!isDocumentationUrl(argument)) {
        connection.console.warn(`${params.command} needs an http(s) URL, got ${JSON.stringify(argument)}.`);
        return false;
      }
      const result = await connection.window.showDocument({ uri: argument, external: true });
      return result.success;
    }
    case SERVER_COMMANDS.fixAll: {
      if (!isFixAllArguments(argument)) {
        connection.console.warn(`${params.command} needs { uri, version }, got ${JSON.stringify(argument)}.`);
        return false;
      }
      const snapshot = await context.session.snapshot(argument.uri);
      if (!snapshot) {
        connection.console.warn(`Fix all: ${argument.uri} is not open.`);
        return false;
      }
      const result = await fixAllEdits(await context.linting, snapshot);
      if ('refused' in result) {
        connection.console.warn(`Fix all for ${argument.uri} skipped: ${result.refused}.`);
        return false;
      }
      if (result.edits.length === 0) return false;
      const applied = await connection.workspace.applyEdit({
        label: 'Fix all auto-fixable otel-async problems',
        edit: documentEdit(context.session.capabilities, snapshot.uri, snapshot.version, result.edits),
      });
      if (!applied.applied) connection.console.warn(`Fix all for ${argument.uri} was not applied: ${applied.failureReason ?? 'the editor declined the edit'}.`);
      return applied.applied;
    }
    default:
      connection.console.warn(`Unknown command ${params.command}.`);
      return false;
  }
}
