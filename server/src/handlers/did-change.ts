import type { DidChangeTextDocumentParams } from 'vscode-languageserver';
import type { ServerContext } from '../context';

export function didChange(context: ServerContext, params: DidChangeTextDocumentParams): void {
  const { uri, version } = params.textDocument;
  if (!context.session.change(uri, params.contentChanges, version)) {
    context.connection.console.warn(`Ignored a change to ${uri}, which is not open.`);
    return;
  }
  context.validator.schedule(uri, 'edit');
}
