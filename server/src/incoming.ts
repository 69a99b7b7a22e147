import type { DataCallback, Disposable, Message, MessageReader } from 'vscode-languageserver/node';

/**
 * A message reader that notes each document version as it arrives, before the connection queues the
 * message. A lint that is about to start for version 3 while version 4 already sits in the queue is
 * skipped: the handler of version 4 will lint, and nobody sees results for text that is gone.
 */
export class VersionNotingReader implements MessageReader {
  readonly #inner: MessageReader;
  readonly #note: (uri: string, version: number) => void;

  constructor(inner: MessageReader, note: (uri: string, version: number) => void) {
    this.#inner = inner;
    this.#note = note;
  }

  get onError(): MessageReader['onError'] {
    return this.#inner.onError;
  }

  get onClose(): MessageReader['onClose'] {
    return this.#inner.onClose;
  }

  get onPartialMessage(): MessageReader['onPartialMessage'] {
    return this.#inner.onPartialMessage;
  }

  listen(callback: DataCallback): Disposable {
    return this.#inner.listen((message: Message) => {
      this.#observe(message);
      callback(message);
    });
  }

  dispose(): void {
    this.#inner.dispose();
  }

  #observe(message: Message): void {
    const { method, params } = message as { method?: unknown; params?: unknown };
    if (method !== 'textDocument/didChange' && method !== 'textDocument/didOpen') return;
    const document = (params as { textDocument?: { uri?: unknown; version?: unknown } } | undefined)?.textDocument;
    if (typeof document?.uri === 'string' && typeof document.version === 'number') this.#note(document.uri, document.version);
  }
}
