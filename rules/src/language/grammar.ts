import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';
import { enableDirectReading } from './tree-reader.js';

/**
 * Loading the tree-sitter runtime and the Python grammar (both WebAssembly) is asynchronous, while
 * ESLint's `Language#parse()` must be synchronous. The plugin awaits {@link pythonGrammarReady} when its
 * module is imported, so by the time ESLint can call `parse()` the parser exists.
 */

const GRAMMAR_FILE = 'tree-sitter-python.wasm';
const RUNTIME_FILE = 'web-tree-sitter.wasm';

let parser: Parser | undefined;
let loadError: Error | undefined;
let directReading = false;

/**
 * Checks the direct tree reader against the public one: fields, keywords, decorators, a comprehension,
 * astral-plane text (UTF-16 offsets), an unclosed bracket (ERROR and MISSING nodes).
 */
const READER_SAMPLE = [
  'import asyncio as aio  # comment',
  '@tracer.start_as_current_span("h", attributes={"k": 1})',
  'async def handler(a, *rest, key: int = 2, **options) -> None:',
  '    with tracer.start_as_current_span("s\u{1F680}") as span, open(a) as f:',
  '        await aio.sleep(1); xs = [i async for i in rest if i]',
  '    return (a +',
  '',
].join('\n');

/**
 * Where a WASM file is: beside this module first (a bundle that copies the files next to itself, as the
 * VS Code extension does), otherwise inside its npm package.
 */
function locate(file: string, packageName: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, file), join(here, '..', file)]) {
    if (existsSync(candidate)) return candidate;
  }
  const require = createRequire(import.meta.url);
  return require.resolve(`${packageName}/${file}`);
}

async function load(): Promise<void> {
  try {
    const runtimePath = locate(RUNTIME_FILE, 'web-tree-sitter');
    // web-tree-sitter's runtime becomes this object: its exports let the conversion read trees directly.
    const runtime: Record<string, unknown> = { locateFile: () => runtimePath };
    await Parser.init(runtime);
    const grammarPath = locate(GRAMMAR_FILE, 'tree-sitter-python');
    const language = await Language.load(new Uint8Array(await readFile(grammarPath)));
    const instance = new Parser();
    instance.setLanguage(language);
    const sample = instance.parse(READER_SAMPLE);
    if (sample) {
      directReading = enableDirectReading(runtime, sample);
      sample.delete();
    }
    parser = instance;
  } catch (error) {
    loadError = new Error(
      `eslint-plugin-otel-async could not load the Python grammar (${GRAMMAR_FILE}): ${(error as Error).message}`,
      { cause: error },
    );
    throw loadError;
  }
}

/** Resolves when the Python parser can be used; rejects with a clear message when the WASM is missing. */
export const pythonGrammarReady: Promise<void> = load();
// The rejection is reported by whoever awaits the promise (the plugin's top-level await) or by
// getPythonParser(); without this no-op, a host that never awaits would see an unhandled rejection.
pythonGrammarReady.catch(() => undefined);

/** The loaded parser. Throws a clear error when called before loading finished or after it failed. */
export function getPythonParser(): Parser {
  if (parser) return parser;
  if (loadError) throw loadError;
  throw new Error(
    'eslint-plugin-otel-async: the Python grammar is still loading. Await the plugin\'s `ready` export (or import the plugin with `import`) before linting.',
  );
}

/** Whether trees are read through the runtime's exports (true) or web-tree-sitter's TreeCursor (false). */
export function readsTreesDirectly(): boolean {
  return directReading;
}
