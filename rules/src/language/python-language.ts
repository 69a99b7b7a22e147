import type { File, FileError, Language, OkParseResult, ParseResult } from '@eslint/core';
import { convertTree, type ConvertedTree, type SyntaxProblem } from './convert.js';
import { VISITOR_KEYS } from './generated/grammar-tables.js';
import type { Module, PyNode } from './generated/node-types.js';
import { getPythonParser } from './grammar.js';
import type { PyComment } from './node.js';
import { LineIndex } from './offsets.js';
import { ParseCache } from './parse-cache.js';
import { PythonSourceCode } from './python-source-code.js';

export interface PythonLanguageOptions {
  /**
   * Keep linting the tree the parser recovered when a file has syntax errors (each error is reported
   * by the `otel-async/syntax-error` rule). When false, a file with syntax errors is a parse error.
   */
  tolerant?: boolean;
  [key: string]: unknown;
}

interface PythonParseResult extends OkParseResult<Module> {
  readonly comments: PyComment[];
  readonly lineIndex: LineIndex;
  readonly syntaxProblems: SyntaxProblem[];
}

const KNOWN_OPTIONS = new Set(['tolerant']);
const parseCache = new ParseCache();

/** The ESLint language object for Python (`languages.python` of the plugin). */
export const pythonLanguage: Language<{
  LangOptions: PythonLanguageOptions;
  Code: PythonSourceCode;
  RootNode: Module;
  Node: PyNode;
}> = {
  fileType: 'text',
  lineStart: 1,
  columnStart: 0,
  nodeTypeKey: 'type',
  visitorKeys: VISITOR_KEYS,
  defaultLanguageOptions: { tolerant: true },

  validateLanguageOptions(options: PythonLanguageOptions): void {
    for (const key of Object.keys(options)) {
      if (!KNOWN_OPTIONS.has(key)) {
        throw new TypeError(`Unknown Python language option "${key}". Known options: ${[...KNOWN_OPTIONS].join(', ')}.`);
      }
    }
    if (options.tolerant !== undefined && typeof options.tolerant !== 'boolean') {
      throw new TypeError(`The Python language option "tolerant" must be true or false, got ${JSON.stringify(options.tolerant)}.`);
    }
  },

  parse(file: File, { languageOptions }): ParseResult<Module> {
    let text: string;
    if (typeof file.body === 'string') {
      text = file.body;
    } else {
      try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(file.body);
      } catch {
        return { ok: false, errors: [{ message: 'File is not valid UTF-8 text.', line: 1, column: 1 }] };
      }
    }
    const lineIndex = new LineIndex(text);
    // Python also ends a line at a lone CR; tree-sitter-python only at LF. Replacing each lone CR by an
    // LF keeps the length, so the tree's offsets are offsets into the original text.
    const parsedText = text.includes('\r') ? text.replace(/\r(?!\n)/gu, '\n') : text;
    // The cache keeps the tree (to re-parse the next version of this file incrementally) unless it is huge.
    const tree = parseCache.parse(getPythonParser(), file.path, parsedText, lineIndex);
    if (!tree) {
      return { ok: false, errors: [{ message: 'The Python parser gave up on this file.', line: 1, column: 1 }] };
    }
    try {
      const converted = convertTree(tree, text, lineIndex);
      if (converted.syntaxProblems.length > 0 && languageOptions.tolerant === false) {
        return { ok: false, errors: converted.syntaxProblems.map((problem) => toFileError(problem, lineIndex)) };
      }
      const result: PythonParseResult = { ok: true, ...converted, lineIndex };
      return result;
    } finally {
      parseCache.release(tree);
    }
  },

  createSourceCode(_file: File, input: OkParseResult<Module>): PythonSourceCode {
    const parsed = input as PythonParseResult;
    return new PythonSourceCode({
      text: parsed.lineIndex.text,
      ast: parsed.ast,
      comments: parsed.comments,
      lineIndex: parsed.lineIndex,
      syntaxProblems: parsed.syntaxProblems,
    });
  },
};

/**
 * Parses and converts a module's text outside ESLint (no parse cache: the tree is freed at once), for
 * tools that read other modules of a project. Syntax errors are left in the recovered tree, as in the
 * tolerant mode. Null when the parser gives up.
 */
export function parsePythonText(text: string): (ConvertedTree & { readonly lineIndex: LineIndex }) | null {
  const lineIndex = new LineIndex(text);
  const parsedText = text.includes('\r') ? text.replace(/\r(?!\n)/gu, '\n') : text;
  const tree = getPythonParser().parse(parsedText);
  if (!tree) return null;
  try {
    return { ...convertTree(tree, text, lineIndex), lineIndex };
  } finally {
    tree.delete();
  }
}

function toFileError(problem: SyntaxProblem, lineIndex: LineIndex): FileError {
  const { start, end } = lineIndex.locationOf(problem.range);
  // FileError columns are 1-based, as ESLint reports them.
  return { message: problem.message, line: start.line, column: start.column + 1, endLine: end.line, endColumn: end.column + 1 };
}
