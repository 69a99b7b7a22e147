import type { Connection } from 'vscode-languageserver';
import { STATUS_NOTIFICATION, type ServerState, type StatusParams } from './protocol';

/**
 * The language status item's state: `linting` while a lint runs, `error` while some open document's
 * last lint failed (the message says which), `ready` otherwise. Only changes are sent.
 */
export class Status {
  readonly #connection: Connection;
  readonly #errors = new Map<string, string>();
  #linting = 0;
  #last: StatusParams | undefined;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  lintStarted(): void {
    this.#linting++;
    this.#send();
  }

  lintFinished(uri: string, error: string | undefined): void {
    this.#linting = Math.max(0, this.#linting - 1);
    if (error === undefined) this.#errors.delete(uri);
    else this.#errors.set(uri, error);
    this.#send();
  }

  forget(uri: string): void {
    if (this.#errors.delete(uri)) this.#send();
  }

  #current(): StatusParams {
    const [uri, error] = [...this.#errors][0] ?? [];
    if (uri !== undefined && error !== undefined) return { state: 'error', message: error, uri };
    const state: ServerState = this.#linting > 0 ? 'linting' : 'ready';
    return { state, message: state === 'linting' ? 'Linting' : 'Ready' };
  }

  #send(): void {
    const next = this.#current();
    if (this.#last && this.#last.state === next.state && this.#last.message === next.message) return;
    this.#last = next;
    void this.#connection.sendNotification(STATUS_NOTIFICATION, next).catch(() => undefined);
  }
}
