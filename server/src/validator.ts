import type { Connection } from 'vscode-languageserver';
import { isLintedLanguage } from './comments';
import { errorMessage } from './context';
import { binaryReason, type Linting } from './lint';
import type { Session } from './session';
import type { Status } from './status';

/** Lints slower than this are logged, so a slow file or config is visible in the output channel. */
const SLOW_LINT_MS = 1000;

/**
 * Schedules lints and publishes their diagnostics. Edits to one document are coalesced: a lint is
 * queued once per document, runs on the newest text, and is skipped when a newer edit has already
 * arrived. Results whose document changed while linting (a workspace config lints asynchronously) are
 * dropped instead of published.
 */
export class Validator {
  readonly #connection: Connection;
  readonly #session: Session;
  readonly #status: Status;
  readonly #linting: Promise<Linting>;
  /** Documents with a lint queued, and whether it was asked for by an edit only (`onSave` skips those). */
  readonly #queued = new Map<string, boolean>();
  /** Documents whose last lint was skipped as binary, so the log says it once, not per keystroke. */
  readonly #reportedSkips = new Map<string, string>();

  constructor(connection: Connection, session: Session, status: Status, linting: Promise<Linting>) {
    this.#connection = connection;
    this.#session = session;
    this.#status = status;
    this.#linting = linting;
  }

  /** Queues a lint; `trigger` is `edit` for typing, which the `onSave` run mode ignores. */
  schedule(uri: string, trigger: 'edit' | 'open' | 'save' | 'settings' = 'open'): void {
    const editOnly = trigger === 'edit';
    const queued = this.#queued.get(uri);
    if (queued !== undefined) {
      if (!editOnly) this.#queued.set(uri, false);
      return;
    }
    this.#queued.set(uri, editOnly);
    setImmediate(() => {
      const onlyEdits = this.#queued.get(uri) ?? false;
      this.#queued.delete(uri);
      this.validate(uri, onlyEdits).catch((error: unknown) => {
        this.#connection.console.error(`Linting ${uri} failed: ${errorMessage(error)}`);
      });
    });
  }

  scheduleAll(): void {
    for (const uri of this.#session.openUris()) this.schedule(uri, 'settings');
  }

  /** Removes the document's diagnostics (closed, disabled). */
  clear(uri: string): void {
    this.#reportedSkips.delete(uri);
    this.#status.forget(uri);
    void this.#connection.sendDiagnostics({ uri, diagnostics: [] }).catch(() => undefined);
  }

  async validate(uri: string, onlyEdits = false): Promise<void> {
    const version = this.#session.version(uri);
    if (version === undefined || this.#session.hasNewerIncoming(uri, version)) return;
    const snapshot = await this.#session.snapshot(uri);
    if (!snapshot || !isLintedLanguage(snapshot.languageId)) return;
    if (!snapshot.settings.enable) {
      this.clear(uri);
      return;
    }
    if (onlyEdits && snapshot.settings.run === 'onSave') return;
    const skip = binaryReason(snapshot.text, snapshot.languageId);
    if (skip !== undefined) {
      if (this.#reportedSkips.get(uri) !== skip) this.#connection.console.warn(`Not linting ${uri}: ${skip}.`);
      this.#reportedSkips.set(uri, skip);
      await this.#publish(uri, snapshot.version, []);
      return;
    }
    this.#reportedSkips.delete(uri);

    this.#status.lintStarted();
    let failure: string | undefined;
    try {
      const linting = await this.#linting;
      const started = performance.now();
      const outcome = await linting.lint(snapshot);
      const elapsed = performance.now() - started;
      if (elapsed > SLOW_LINT_MS) {
        this.#connection.console.warn(`Linting ${uri} (${snapshot.text.length} characters, ${outcome.configSource}) took ${Math.round(elapsed)} ms.`);
      }
      // The document changed or closed while linting: these results describe text that is gone.
      if (this.#session.version(uri) !== snapshot.version) return;
      await this.#publish(uri, snapshot.version, outcome.diagnostics);
    } catch (error) {
      failure = `Linting ${uri} failed: ${errorMessage(error)}`;
      this.#connection.console.error(failure);
      // Old diagnostics point at text that changed; none is better than wrong ones.
      if (this.#session.version(uri) === snapshot.version) await this.#publish(uri, snapshot.version, []);
    } finally {
      this.#status.lintFinished(uri, failure);
    }
  }

  async #publish(uri: string, version: number, diagnostics: Parameters<Connection['sendDiagnostics']>[0]['diagnostics']): Promise<void> {
    await this.#connection.sendDiagnostics({ uri, version, diagnostics });
  }
}
