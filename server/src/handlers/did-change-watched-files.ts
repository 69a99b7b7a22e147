import type { DidChangeWatchedFilesParams } from 'vscode-languageserver';
import type { ServerContext } from '../context';

/** An ESLint config or package.json changed: load workspace configs afresh and lint open documents. */
export function didChangeWatchedFiles(context: ServerContext, params: DidChangeWatchedFilesParams): void {
  if (params.changes.length === 0) return;
  context.workspaceConfigs.clear();
  context.validator.scheduleAll();
}
