/**
 * The texts of a tree's leaves, each distinct text made once. A 10,000-line module has about 32,000
 * leaves (identifiers, numbers, string parts) but only about 1,600 distinct texts. Slicing each leaf's
 * text from the source made 32,000 young strings, every one kept alive by the tree being built, and
 * the garbage collector copied them all (measured: about a sixth of the conversion's time). Here a
 * leaf's characters are hashed where they lie in the source, and a slice is made only for a text not
 * seen before in this file.
 */

/** Longer texts (a docstring's content) rarely repeat: they are sliced without a lookup. */
const MAX_SHARED_LENGTH = 48;
const INITIAL_SLOTS = 1024;

export class LeafTexts {
  /** Open addressing with linear probing; the table is never more than half full. */
  #slots: (string | undefined)[] = new Array<string | undefined>(INITIAL_SLOTS).fill(undefined);
  #used = 0;

  constructor(private readonly source: string) {}

  /** The text of `source` from `start` to `end`, the same string object for equal texts. */
  textOf(start: number, end: number): string {
    const length = end - start;
    if (length > MAX_SHARED_LENGTH) return this.source.slice(start, end);
    const source = this.source;
    const hash = hashOf(source, start, end);
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const known = slots[slot];
      if (known === undefined) {
        const text = source.slice(start, end);
        slots[slot] = text;
        if (++this.#used * 2 > slots.length) this.#grow();
        return text;
      }
      if (known.length === length && sameText(known, source, start)) return known;
    }
  }

  #grow(): void {
    const old = this.#slots;
    const slots = new Array<string | undefined>(old.length * 2).fill(undefined);
    const mask = slots.length - 1;
    for (const text of old) {
      if (text === undefined) continue;
      let slot = hashOf(text, 0, text.length) & mask;
      while (slots[slot] !== undefined) slot = (slot + 1) & mask;
      slots[slot] = text;
    }
    this.#slots = slots;
  }
}

/** FNV-1a over UTF-16 units, seeded with the length. */
function hashOf(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5 ^ (end - start);
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

/** Whether `text` equals the characters of `source` from `start` (the lengths are already equal). */
function sameText(text: string, source: string, start: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== source.charCodeAt(start + i)) return false;
  return true;
}
