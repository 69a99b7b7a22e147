import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { ClientCapabilities } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, type ResolvedSettings } from './protocol';
import { resolveSettings } from './settings';

/**
 * The server's mutable state: open documents, settings per document, client capabilities. Only the
 * quick notification handlers change it; linting and code actions work on an immutable
 * {@link DocumentSnapshot}, so a document edited meanwhile can never mix two versions.
 */

export interface DocumentSnapshot {
  readonly uri: string;
  readonly languageId: string;
  readonly version: number;
  readonly text: string;
  readonly settings: ResolvedSettings;
}

/** Fetches the raw settings for a document's scope (from the client, in the real server). */
export type SettingsSource = (uri: string) => Promise<unknown>;

/** Reports ignored settings values, once per distinct problem. */
export type SettingsProblemSink = (problem: string) => void;

export class Session {
  readonly #documents = new Map<string, TextDocument>();
  readonly #settings = new Map<string, Promise<ResolvedSettings>>();
  /** The newest version of each document seen on the wire, possibly not applied yet. */
  readonly #incomingVersions = new Map<string, number>();
  readonly #reportedProblems = new Set<string>();
  #settingsSource: SettingsSource = () => Promise.resolve(undefined);
  #problemSink: SettingsProblemSink = () => undefined;
  capabilities: ClientCapabilities = {};
  /** Settings sent with `initialize` or `didChangeConfiguration`, for clients that cannot be asked. */
  pushedSettings: unknown = undefined;

  setSettingsSource(source: SettingsSource, sink: SettingsProblemSink): void {
    this.#settingsSource = source;
    this.#problemSink = sink;
  }

  open(uri: string, languageId: string, version: number, text: string): void {
    this.#documents.set(uri, TextDocument.create(uri, languageId, version, text));
  }

  /** Applies incremental (or full) changes; false when the document is not open. */
  change(uri: string, changes: TextDocumentContentChangeEvent[], version: number): boolean {
    const document = this.#documents.get(uri);
    if (!document) return false;
    TextDocument.update(document, changes, version);
    return true;
  }

  close(uri: string): void {
    this.#documents.delete(uri);
    this.#settings.delete(uri);
    this.#incomingVersions.delete(uri);
  }

  isOpen(uri: string): boolean {
    return this.#documents.has(uri);
  }

  openUris(): string[] {
    return [...this.#documents.keys()];
  }

  languageId(uri: string): string | undefined {
    return this.#documents.get(uri)?.languageId;
  }

  version(uri: string): number | undefined {
    return this.#documents.get(uri)?.version;
  }

  /** Called by the message reader as each message arrives, before it is handled. */
  noteIncomingVersion(uri: string, version: number): void {
    const known = this.#incomingVersions.get(uri);
    if (known === undefined || version > known) this.#incomingVersions.set(uri, version);
  }

  /** Whether an edit newer than `version` has arrived and waits to be applied. */
  hasNewerIncoming(uri: string, version: number): boolean {
    const incoming = this.#incomingVersions.get(uri);
    return incoming !== undefined && incoming > version;
  }

  /** The document's settings, asked once and cached until the configuration changes. */
  settingsFor(uri: string): Promise<ResolvedSettings> {
    let settings = this.#settings.get(uri);
    if (!settings) {
      settings = this.#settingsSource(uri).then(
        (raw) => {
          const resolution = resolveSettings(raw ?? this.pushedSettings);
          for (const problem of resolution.problems) this.#reportOnce(problem);
          return resolution.settings;
        },
        (error: unknown) => {
          this.#reportOnce(`could not read the settings, so the defaults apply: ${error instanceof Error ? error.message : String(error)}`);
          return DEFAULT_SETTINGS;
        },
      );
      this.#settings.set(uri, settings);
    }
    return settings;
  }

  /** Forget cached settings (configuration changed): the next snapshot asks again. */
  clearSettings(): void {
    this.#settings.clear();
    this.#reportedProblems.clear();
  }

  /** An immutable view of the document as it is now, with its settings; undefined when not open. */
  async snapshot(uri: string): Promise<DocumentSnapshot | undefined> {
    if (!this.#documents.has(uri)) return undefined;
    const settings = await this.settingsFor(uri);
    // Read the document after the await: an edit may have been applied meanwhile.
    const document = this.#documents.get(uri);
    if (!document) return undefined;
    return Object.freeze({ uri, languageId: document.languageId, version: document.version, text: document.getText(), settings });
  }

  #reportOnce(problem: string): void {
    if (this.#reportedProblems.has(problem)) return;
    this.#reportedProblems.add(problem);
    this.#problemSink(problem);
  }
}
