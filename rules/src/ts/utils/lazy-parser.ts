import { createRequire } from 'node:module';
import type { Linter } from 'eslint';

// `@typescript-eslint/parser` loads the TypeScript compiler (~270 ms here). The plugin is also loaded by
// hosts that only lint Python (the language server, Python-only projects), so the parser is required
// the first time a TS/JS file is parsed, not when the plugin is imported. `require` keeps that first
// parse synchronous, as ESLint's parser API demands.
const require = createRequire(import.meta.url);

type TypeScriptParser = typeof import('@typescript-eslint/parser');

let parser: TypeScriptParser | undefined;
function loadParser(): TypeScriptParser {
  parser ??= require('@typescript-eslint/parser') as TypeScriptParser;
  return parser;
}

const { version } = require('@typescript-eslint/parser/package.json') as { version: string };

/**
 * `@typescript-eslint/parser`, loaded on first use. Same `meta.name` as the real parser, so ESLint's
 * cache and config inspector see the parser they expect.
 */
export const typescriptParser: Linter.Parser = {
  meta: { name: 'typescript-eslint/parser', version },
  parseForESLint(code: string, options?: Linter.ParserOptions) {
    return loadParser().parseForESLint(code, options) as unknown as Linter.ESLintParseResult;
  },
};
