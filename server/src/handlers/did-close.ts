import type { DidCloseTextDocumentParams } from 'vscode-languageserver';
import type { ServerContext } from '../context';

export function didClose(context: ServerContext, params: DidCloseTextDocumentParams): void {
  context.session.close(params.textDocument.uri);
  context.validator.clear(params.textDocument.uri);
}
