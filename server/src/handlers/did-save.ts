import type { DidSaveTextDocumentParams } from 'vscode-languageserver';
import type { ServerContext } from '../context';

/** Saving lints in the `onSave` run mode (and refreshes results in `onType`, where it costs one lint). */
export function didSave(context: ServerContext, params: DidSaveTextDocumentParams): void {
  if (context.session.isOpen(params.textDocument.uri)) context.validator.schedule(params.textDocument.uri, 'save');
}
