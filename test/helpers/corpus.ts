import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from test/out/<dir>/). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Every Python file of the examples and the test fixtures. */
export function pythonFiles(): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.py')) found.push(path);
    }
  };
  visit(join(repoRoot, 'examples'));
  visit(join(repoRoot, 'test', 'fixtures', 'python'));
  return found;
}

const DEFAULT_INSERTS = ['(', ')', ':', '\n', '\r\n', '    ', 'async ', '"', '\u{1F680}', '\\\n', '['];

/** Seeded edits that break the syntax in many ways: deleted, duplicated and inserted characters. */
export function mutations(text: string, count: number, seed: number, inserts: readonly string[] = DEFAULT_INSERTS): string[] {
  let state = seed;
  const next = (limit: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % limit;
  };
  const result: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = next(text.length + 1);
    const kind = next(3);
    if (kind === 0) result.push(text.slice(0, at) + text.slice(at + 1 + next(20)));
    else if (kind === 1) result.push(text.slice(0, at) + text.slice(at, at + next(40)) + text.slice(at));
    else result.push(text.slice(0, at) + (inserts[next(inserts.length)] ?? '') + text.slice(at));
  }
  return result;
}
