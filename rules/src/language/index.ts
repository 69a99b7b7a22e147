// The Python language's building blocks, for tests and for tools built on the plugin.
export { parsePythonText, pythonLanguage, type PythonLanguageOptions } from './python-language.js';
export { PythonSourceCode, childrenInSourceOrder } from './python-source-code.js';
export { NodeIndex, nodeIndexOf } from './node-index.js';
export { convertTree } from './convert.js';
export { ParseCache } from './parse-cache.js';
export { LeafTexts } from './leaf-texts.js';
export { readAll, readTree, readTreeWithCursor, type TreeReader } from './tree-reader.js';
export { LineIndex, PYTHON_LINE_ENDING, type Position, type SourceLocation } from './offsets.js';
export { pythonGrammarReady, getPythonParser, readsTreesDirectly } from './grammar.js';
export { VISITOR_KEYS, FIELD_KINDS } from './generated/grammar-tables.js';
export type * from './generated/node-types.js';
export { PythonNode } from './node.js';
export type { PyNodeBase, PyComment } from './node.js';
export { NODE_FACTORIES } from './generated/node-factories.js';
