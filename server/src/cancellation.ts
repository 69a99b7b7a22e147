import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

/** Stops a request the client cancelled: LSP answers those with RequestCancelled, not a result. */
export function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
}
