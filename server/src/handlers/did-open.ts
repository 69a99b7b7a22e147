import type { DidOpenTextDocumentParams } from 'vscode-languageserver';
import type { ServerContext } from '../context';

export function didOpen(context: ServerContext, params: DidOpenTextDocumentParams): void {
  const { uri, languageId, version, text } = params.textDocument;
  context.session.open(uri, languageId, version, text);
  context.validator.schedule(uri, 'open');
}
