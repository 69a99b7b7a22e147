import type { ClientCapabilities, TextEdit, WorkspaceEdit } from 'vscode-languageserver';

/**
 * A workspace edit for one document version. With `documentChanges` the client refuses an edit made
 * for an older version of the document instead of applying it to text that moved.
 */
export function documentEdit(capabilities: ClientCapabilities, uri: string, version: number, edits: TextEdit[]): WorkspaceEdit {
  if (capabilities.workspace?.workspaceEdit?.documentChanges === true) {
    return { documentChanges: [{ textDocument: { uri, version }, edits }] };
  }
  return { changes: { [uri]: edits } };
}
