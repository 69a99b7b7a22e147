import { readFileSync, statSync } from 'node:fs';

/** What is at a path: a file, a folder, or nothing. */
export type PathKind = 'file' | 'directory' | null;

/**
 * Python files larger than this are not read for the project model (a generated or vendored module of
 * several megabytes would cost more to parse than every other module together); imports of them are
 * "unknown", as third-party modules are.
 */
export const MAX_MODULE_BYTES = 2_000_000;

/**
 * The files the project model reads: open editor buffers first (the server sets them, so unsaved edits
 * count), then the disk. What is read from disk is remembered until the next change is announced
 * ({@link changed}); a command-line run announces none, so each file is read once per process. Every
 * announced change starts a new generation, and everything derived from the files is keyed by it.
 */
export class ProjectFiles {
  #generation = 0;
  readonly #buffers = new Map<string, string>();
  readonly #kinds = new Map<string, PathKind>();
  readonly #texts = new Map<string, string | null>();

  /** Increases whenever what a path holds may have changed. */
  get generation(): number {
    return this.#generation;
  }

  /** An open buffer's text, which takes precedence over the file on disk. */
  setBuffer(path: string, text: string): void {
    if (this.#buffers.get(path) === text) return;
    this.#buffers.set(path, text);
    this.changed();
  }

  /** The buffer is closed: the disk holds the module again. */
  removeBuffer(path: string): void {
    if (this.#buffers.delete(path)) this.changed();
  }

  /** Something changed on disk (a watched file was created, changed or deleted): forget every read. */
  changed(): void {
    this.#generation++;
    this.#kinds.clear();
    this.#texts.clear();
  }

  kind(path: string): PathKind {
    if (this.#buffers.has(path)) return 'file';
    let kind = this.#kinds.get(path);
    if (kind === undefined) {
      kind = statKind(path);
      this.#kinds.set(path, kind);
    }
    return kind;
  }

  isFile(path: string): boolean {
    return this.kind(path) === 'file';
  }

  isDirectory(path: string): boolean {
    return this.kind(path) === 'directory';
  }

  /** The text of a file (an open buffer's, else the disk's), or null when it cannot be read as UTF-8 or is too large. */
  readText(path: string): string | null {
    const buffer = this.#buffers.get(path);
    if (buffer !== undefined) return buffer;
    let text = this.#texts.get(path);
    if (text === undefined) {
      text = readUtf8(path);
      this.#texts.set(path, text);
    }
    return text;
  }
}

function statKind(path: string): PathKind {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) return null;
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : null;
  } catch {
    return null;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function readUtf8(path: string): string | null {
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_MODULE_BYTES) return null;
    // Python source is UTF-8 by default; a BOM is not part of the text (as ESLint reads it).
    const text = decoder.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return null;
  }
}
