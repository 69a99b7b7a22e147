import type { Language, Node as SyntaxNode, Tree } from 'web-tree-sitter';
import { FIELD_KINDS, VISITOR_KEYS } from './generated/grammar-tables.js';
import type { Module, PyNode } from './generated/node-types.js';
import { holdsLogicalLines, logicalLineProblems, startsLogicalLineAnywhere } from './logical-lines.js';
import { LeafTexts } from './leaf-texts.js';
import { NODE_FACTORIES } from './generated/node-factories.js';
import { NodesByType, registerNodes, typeSlotOf } from './node-index.js';
import { NO_CHILDREN, PythonComment, PythonNode, type NodeFactory } from './node.js';
import { readTree, type TreeReader } from './tree-reader.js';
import type { LineIndex } from './offsets.js';

/** A place where the parser had to recover: an ERROR node or a token it assumed was there. */
export interface SyntaxProblem {
  readonly message: string;
  readonly range: readonly [number, number];
}

export interface ConvertedTree {
  readonly ast: Module;
  readonly comments: PythonComment[];
  readonly syntaxProblems: SyntaxProblem[];
}

/**
 * Named tokens that are not nodes of our tree: a string's opening prefix-and-quotes and its closing
 * quotes. They carry nothing the string's own text does not, and one string literal in ten thousand
 * lines of Python makes about 10% of all nodes out of them (each one converted, kept and visited).
 */
const DELIMITER_TOKENS = new Set(['string_start', 'string_end']);
/** Anonymous tokens we turn into a boolean property on their parent. */
const FLAG_TOKENS = new Set(['async']);
const MAX_SNIPPET = 30;
/** Statements CPython 3 rejects that tree-sitter-python still parses (Python 2 syntax). */
const PYTHON2_STATEMENTS: Readonly<Record<string, string>> = {
  print_statement: 'Syntax error: Python 2 print statement; call print(...) instead',
  exec_statement: 'Syntax error: Python 2 exec statement; call exec(...) instead',
};
const OPENING_BRACKETS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const CLOSING_BRACKETS = new Set([')', ']', '}']);

/*
 * Every read from the cursor is a call into WebAssembly, and the walk visits every node of the file, so
 * the walk reads only what it uses: a node's field name only when its parent type has a field that
 * could hold it, its offsets only when they are stored or reported, "missing" only in a tree with errors.
 */

/**
 * Each node type's fields as a list of [property, kind], made once: these are read for every node
 * converted, and iterating an array is cheaper than enumerating an object's keys each time.
 */
type FieldKind = readonly [property: string, kind: 'node' | 'nodes' | 'token' | 'tokens'];

const FIELD_LISTS = new Map<string, readonly FieldKind[]>(
  Object.entries(FIELD_KINDS)
    .filter(([, kinds]) => Object.keys(kinds).length > 0)
    .map(([type, kinds]) => [type, Object.values(kinds)]),
);

/** Node types with a field of anonymous tokens (`operators`, ...): the only parents whose token children need a field name. */
const TOKEN_FIELD_PARENTS = typesWithFieldKinds('token', 'tokens');
/** Node types with a field of named nodes: the only parents whose named children need a field name. */
const NODE_FIELD_PARENTS = typesWithFieldKinds('node', 'nodes');

function typesWithFieldKinds(...wanted: string[]): Set<string> {
  const types = new Set<string>();
  for (const [type, kinds] of Object.entries(FIELD_KINDS)) {
    if (Object.values(kinds).some(([, kind]) => wanted.includes(kind))) types.add(type);
  }
  return types;
}

/** Node types whose children sit under more than one visitor key: their source-order list is built as they are converted. */
const SEVERAL_CHILD_KEYS = new Set(Object.entries(VISITOR_KEYS).filter(([, keys]) => keys.length > 1).map(([type]) => type));

/**
 * What the conversion needs to know about one node type id, worked out the first time the id is met.
 * The walk asks these questions for each of the ~130,000 cursor nodes of a 10,000-line file; reading
 * them from one record found by the (numeric) id replaces a dozen lookups by type name in sets and
 * string-keyed tables per node.
 */
interface NodeTypeInfo {
  /** The type name (`ERROR` for an id the language has no name for). */
  readonly name: string;
  readonly named: boolean;
  /** A named token that is not a node of ours (a string's quotes), a comment, or a line continuation. */
  readonly skipped: boolean;
  readonly comment: boolean;
  readonly lineContinuation: boolean;
  /** An anonymous token kept as a boolean property on its parent (`async`). */
  readonly flag: boolean;
  readonly isError: boolean;
  readonly isBlock: boolean;
  /** Starts a logical line wherever it is (`elif`, `else`, `except`, `finally` clauses). */
  readonly startsLogicalLine: boolean;
  /** Its named children start logical lines (the module, blocks, decorated definitions). */
  readonly holdsLogicalLines: boolean;
  readonly python2Message: string | undefined;
  /** As a parent: [property, kind] for each field id, when the type has fields. */
  readonly fieldKinds: readonly (FieldKind | undefined)[];
  readonly fieldList: readonly FieldKind[] | undefined;
  /** As a parent: whether a token child's / a named child's field id must be read. */
  readonly hasTokenFields: boolean;
  readonly hasNodeFields: boolean;
  /** As a parent: its children sit under several visitor keys, so it keeps a source-order list. */
  readonly severalChildKeys: boolean;
  /** Where nodes of this type are listed in {@link NodesByType}. */
  readonly slot: number;
  /** Makes a node of this type with all its properties (see {@link NODE_FACTORIES}). */
  readonly create: NodeFactory;
}

/** Per language, the {@link NodeTypeInfo} of each type id met so far. */
const typeInfoTables = new WeakMap<Language, NodeTypeInfo[]>();

function typeInfoTable(language: Language): NodeTypeInfo[] {
  let table = typeInfoTables.get(language);
  if (!table) {
    table = [];
    typeInfoTables.set(language, table);
  }
  return table;
}

function describeType(language: Language, name: string, named: boolean): NodeTypeInfo {
  const kinds = Object.hasOwn(FIELD_KINDS, name) ? FIELD_KINDS[name] : undefined;
  const fieldKinds: (FieldKind | undefined)[] = [];
  if (kinds) for (const [id, fieldName] of language.fields.entries()) if (fieldName) fieldKinds[id] = kinds[fieldName];
  return {
    name,
    named,
    skipped: named && DELIMITER_TOKENS.has(name),
    comment: named && name === 'comment',
    lineContinuation: named && name === 'line_continuation',
    flag: !named && FLAG_TOKENS.has(name),
    isError: name === 'ERROR',
    isBlock: name === 'block',
    startsLogicalLine: startsLogicalLineAnywhere(name),
    holdsLogicalLines: holdsLogicalLines(name),
    python2Message: Object.hasOwn(PYTHON2_STATEMENTS, name) ? PYTHON2_STATEMENTS[name] : undefined,
    fieldKinds,
    fieldList: FIELD_LISTS.get(name),
    hasTokenFields: TOKEN_FIELD_PARENTS.has(name),
    hasNodeFields: NODE_FIELD_PARENTS.has(name),
    severalChildKeys: SEVERAL_CHILD_KEYS.has(name),
    slot: typeSlotOf(language, name),
    create: Object.hasOwn(NODE_FACTORIES, name) ? (NODE_FACTORIES[name] as NodeFactory) : (start, end, parent) => PythonNode.create(name, start, end, parent),
  };
}

function describeSnippet(text: string): string {
  // Enough UTF-16 units for MAX_SNIPPET + 1 code points of the first line.
  const head = text.replace(/^[ \t\f]+/u, '').slice(0, 2 * MAX_SNIPPET + 2);
  const firstLine = head.split(/\r\n|[\r\n]/u, 1)[0] ?? '';
  // Count code points, so an emoji is never cut in half; show invisible characters (controls, NUL,
  // format, private-use, unpaired surrogates) as escapes.
  const points = Array.from(firstLine.trimEnd());
  const shown = points.slice(0, MAX_SNIPPET).join('').replace(/\p{C}/gu, escapeCharacter);
  if (shown === '') return 'line break or indentation';
  return `'${shown}${points.length > MAX_SNIPPET ? '…' : ''}'`;
}

function escapeCharacter(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Converts a tree-sitter tree to stable plain nodes in one pass with a TreeCursor (no per-node
 * wrapper objects). Iterative, so deeply nested expressions cannot overflow the call stack.
 */
export function convertTree(tree: Tree, text: string, lineIndex: LineIndex, openReader: (tree: Tree) => TreeReader = readTree): ConvertedTree {
  const comments: PythonComment[] = [];
  const syntaxProblems: SyntaxProblem[] = [];
  const lineStarters: PythonNode[] = [];
  const blocks: PythonNode[] = [];
  const continuedLineStarts = new Set<number>();
  const language = tree.language;
  // Asked before the walk starts: the direct reader keeps its state where these calls would write.
  const rootType = tree.rootNode.type;
  // A MISSING node is an error, so a tree without errors has none and the check can be skipped.
  const mayHaveMissing = tree.rootNode.hasError;
  const cursor = openReader(tree);
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    cursor.delete();
  };

  /**
   * tree-sitter ends a comment (and a block that ends with one) after the CR of a CRLF; an offset
   * between CR and LF is on no line, so it moves back to the CR.
   */
  const onLine = (offset: number): number =>
    text.charCodeAt(offset) === 10 && text.charCodeAt(offset - 1) === 13 ? offset - 1 : offset;

  // The module spans the whole text, so every position in the file is inside the root.
  const rootInfo = describeType(language, 'module', true);
  const root = rootInfo.create(0, text.length, null);
  PythonNode.setLineIndex(root, lineIndex);
  const stack: PythonNode[] = [root];
  /** The nodes of each type, in creation order (the walk is pre-order in source order). */
  const nodesByType = new NodesByType<PythonNode>(language);
  /** How many ERROR nodes enclose the cursor; only the outermost one is reported. */
  let errorDepth = 0;
  /** The outermost ERROR's problem and the brackets opened inside it and not closed there. */
  let errorProblem = -1;
  let openBrackets: { token: string; range: [number, number] }[] = [];

  const leaveError = (): void => {
    errorDepth--;
    if (errorDepth > 0) return;
    // An ERROR that leaves a bracket open is best explained by that bracket (the innermost one).
    const unclosed = openBrackets[openBrackets.length - 1];
    if (unclosed) syntaxProblems[errorProblem] = { message: `Syntax error: '${unclosed.token}' is never closed`, range: unclosed.range };
    openBrackets = [];
  };

  const attach = (parent: PythonNode, parentInfo: NodeTypeInfo, child: PythonNode, kind: FieldKind | undefined): void => {
    const depth = stack.length - 1;
    const count = orderedCounts[depth] as number;
    (orderedSoFar[depth] as PythonNode[])[count] = child;
    orderedCounts[depth] = count + 1;
    // A node whose children sit under one key gets them all as `children` when it is finished.
    if (!parentInfo.severalChildKeys) return;
    if (kind && kind[1] === 'nodes') {
      const list = parent[kind[0]] as PythonNode[];
      if (list === NO_CHILDREN) parent[kind[0]] = [child];
      else list.push(child);
    } else if (kind && kind[1] === 'node' && parent[kind[0]] === null) {
      parent[kind[0]] = child;
    } else if (parent.children === NO_CHILDREN) {
      parent.children = [child];
    } else {
      parent.children.push(child);
    }
  };

  nodesByType.add(rootInfo.slot, root);
  /** The type info of each node on `stack`. */
  const infoStack: NodeTypeInfo[] = [rootInfo];
  /**
   * For each node on `stack`: its named children so far, in source order. One reusable array per depth
   * (with its count: truncating an array frees its storage); the node gets an exact-size copy as its
   * `namedChildren` (and, when its children sit under one key, as its `children`) when it is finished.
   * Growing a list per node by `push` gave each a 17-slot array for its usual 2 or 3 children, made
   * where the collector copies it.
   */
  const orderedSoFar: PythonNode[][] = [[]];
  const orderedCounts: number[] = [0];

  const leafTexts = new LeafTexts(text);
  const finish = (node: PythonNode, info: NodeTypeInfo): void => {
    if (node.children.length === 0 && !hasNodeField(node, info.fieldList)) {
      node.text = leafTexts.textOf(node.start, node.end);
    }
  };
  /** Gives a node with children its lists, from the named children collected at `depth`. */
  const setChildLists = (node: PythonNode, info: NodeTypeInfo, depth: number): void => {
    const count = orderedCounts[depth] as number;
    if (count === 0) return;
    const list = exactCopy(orderedSoFar[depth] as PythonNode[], count);
    node.namedChildren = list;
    if (!info.severalChildKeys) node.children = list;
  };

  // When tree-sitter cannot build a module at all, the root itself is an ERROR (a file of only `x = (((`):
  // the module stands in for it, and it is reported like any other outermost ERROR.
  const rootIsError = rootType === 'ERROR';
  if (rootIsError) {
    errorProblem = syntaxProblems.length;
    const range: [number, number] = [onLine(cursor.startIndex()), onLine(cursor.endIndex())];
    syntaxProblems.push({ message: `Syntax error: unexpected ${describeSnippet(text.slice(range[0], range[1]))}`, range });
    errorDepth = 1;
  }

  const typeNames = language.types;
  const typeInfos = typeInfoTable(language);
  /** The cursor node's [start, end], each moved off the middle of a CRLF. */
  const currentRange = (): [number, number] => {
    const start = onLine(cursor.startIndex());
    return [start, Math.max(start, onLine(cursor.endIndex()))];
  };

  // Walk the root's children; `stack` holds the converted ancestors of the cursor's node.
  // The reader is freed however the walk ends (an exception included: a direct reader holds a cursor in WebAssembly memory).
  try {
    if (cursor.gotoFirstChild()) {
      for (;;) {
        const parent = stack[stack.length - 1] as PythonNode;
        const parentInfo = infoStack[infoStack.length - 1] as NodeTypeInfo;
        const typeId = cursor.typeId();
        // What TreeCursor#nodeType and #nodeIsNamed return, without two more calls into WebAssembly.
        let info = typeInfos[typeId];
        if (info === undefined) {
          info = describeType(language, typeNames[typeId] || 'ERROR', language.nodeTypeIsNamed(typeId));
          typeInfos[typeId] = info;
        }
        const { name: type, named } = info;
        let descend = false;

        if (mayHaveMissing && cursor.isMissing()) {
          if (errorDepth === 0) {
            const what = named ? type.replace(/_/g, ' ') : `'${type}'`;
            syntaxProblems.push({ message: `Syntax error: missing ${what}`, range: currentRange() });
          }
        } else if (!named) {
          const kind = parentInfo.hasTokenFields ? parentInfo.fieldKinds[cursor.fieldId()] : undefined;
          if (kind && kind[1] === 'token') parent[kind[0]] = type;
          else if (kind && kind[1] === 'tokens') (parent[kind[0]] as string[]).push(type);
          else if (info.flag) parent[type] = true;
          if (parentInfo.isError || (rootIsError && parent === root)) trackBracket(openBrackets, type, currentRange());
        } else if (info.skipped) {
          // Part of the string's text; nothing to keep.
        } else if (info.comment) {
          const range = currentRange();
          const comment = new PythonComment(text.slice(range[0] + 1, range[1]), range, lineIndex);
          comments.push(comment);
        } else if (info.lineContinuation) {
          // A backslash and its line break: the next line continues this logical line.
          continuedLineStarts.add(cursor.endIndex());
        } else {
          const start = onLine(cursor.startIndex());
          const end = Math.max(start, onLine(cursor.endIndex()));
          const node = info.create(start, end, parent);
          nodesByType.add(info.slot, node);
          attach(parent, parentInfo, node, parentInfo.hasNodeFields ? parentInfo.fieldKinds[cursor.fieldId()] : undefined);
          if (errorDepth === 0) {
            if (parentInfo.holdsLogicalLines || info.startsLogicalLine) lineStarters.push(node);
            if (info.isBlock) blocks.push(node);
            if (info.python2Message) syntaxProblems.push({ message: info.python2Message, range: [start, end] });
          }
          if (info.isError) {
            if (errorDepth === 0) {
              const snippet = describeSnippet(text.slice(start, end));
              errorProblem = syntaxProblems.length;
              syntaxProblems.push({ message: `Syntax error: unexpected ${snippet}`, range: [start, end] });
            }
            errorDepth++;
          }
          if (cursor.gotoFirstChild()) {
            orderedSoFar[stack.length] ??= [];
            orderedCounts[stack.length] = 0;
            stack.push(node);
            infoStack.push(info);
            descend = true;
          } else {
            if (info.isError) leaveError();
            finish(node, info);
          }
        }

        if (descend) continue;
        // Move to the next sibling, climbing out of finished subtrees.
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent() || stack.length === 1) {
            release();
            return done();
          }
          const finished = stack.pop() as PythonNode;
          const finishedInfo = infoStack.pop() as NodeTypeInfo;
          setChildLists(finished, finishedInfo, stack.length);
          if (finishedInfo.isError) leaveError();
          finish(finished, finishedInfo);
        }
      }
    }
  } finally {
    release();
  }
  return done();

  function done(): ConvertedTree {
    if (rootIsError) leaveError();
    setChildLists(root, rootInfo, 0);
    comments.sort((a, b) => a.range[0] - b.range[0]);
    syntaxProblems.push(...logicalLineProblems({ lineStarters, blocks, continuedLineStarts }, text, lineIndex));
    // The tree can hold an error no node shows (a hidden MISSING token); never let it pass silently.
    if (syntaxProblems.length === 0 && tree.rootNode.hasError) {
      const [from, to] = innermostErrorRange(tree.rootNode);
      const range: [number, number] = [onLine(from), Math.max(onLine(from), onLine(to))];
      syntaxProblems.push({ message: `Syntax error: unexpected ${describeSnippet(text.slice(range[0], range[1]))}`, range });
    }
    syntaxProblems.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
    registerNodes(root as unknown as PyNode, nodesByType.lists() as unknown as ReadonlyMap<string, readonly PyNode[]>);
    return { ast: root as unknown as Module, comments, syntaxProblems };
  }
}

/**
 * The first `count` items of `list` in an array of their own, made by an array literal for the usual
 * sizes: V8 learns that a literal's arrays live long and makes them in the old generation (a `slice`
 * has no such memory, so its arrays were copied by the collector like any young object).
 */
function exactCopy(list: readonly PythonNode[], count: number): PythonNode[] {
  const item = (index: number): PythonNode => list[index] as PythonNode;
  switch (count) {
    case 1:
      return [item(0)];
    case 2:
      return [item(0), item(1)];
    case 3:
      return [item(0), item(1), item(2)];
    case 4:
      return [item(0), item(1), item(2), item(3)];
    case 5:
      return [item(0), item(1), item(2), item(3), item(4)];
    default:
      return list.slice(0, count);
  }
}

/** The smallest node on the path of nodes that contain an error. */
function innermostErrorRange(root: SyntaxNode): [number, number] {
  let node = root;
  for (let next = errorChild(node); next; next = errorChild(node)) node = next;
  return [node.startIndex, node.endIndex];
}

function errorChild(node: SyntaxNode): SyntaxNode | undefined {
  return node.children.find((child) => child !== null && (child.hasError || child.isMissing)) ?? undefined;
}

/** Follows the brackets among an ERROR node's own tokens: opening ones are pushed, matching closers pop. */
function trackBracket(open: { token: string; range: [number, number] }[], token: string, range: [number, number]): void {
  if (OPENING_BRACKETS[token]) {
    open.push({ token, range });
  } else if (CLOSING_BRACKETS.has(token)) {
    const last = open[open.length - 1];
    if (last && OPENING_BRACKETS[last.token] === token) open.pop();
  }
}

function hasNodeField(node: PythonNode, fields: NodeTypeInfo['fieldList']): boolean {
  if (!fields) return false;
  for (const [name, kind] of fields) {
    const value = node[name];
    if (kind === 'node' && value !== null) return true;
    if (kind === 'nodes' && (value as unknown[]).length > 0) return true;
  }
  return false;
}
