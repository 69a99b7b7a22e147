import type { RuleTextEdit, RuleTextEditor } from '@eslint/core';
import type { Call, Identifier, ImportFromStatement, PyNode, TryStatement } from '../language/generated/node-types.js';
import { childrenInSourceOrder, type PythonSourceCode } from '../language/python-source-code.js';
import { type Binding, type SemanticModel } from '../semantic/index.js';
import { bindingUses, blockStatements, contains, nextStatement } from '../semantic/uses.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';
import {
  commentsWithin,
  endOfTrailingComment,
  ensureImport,
  indentLinesDeeper,
  indentationAt,
  indentUnitOf,
  lineEndingOf,
  lineStartAt,
  reindent,
  wrapInTryFinally,
  type TextEdit,
} from '../util/python-edits.js';

const ATTACH = 'opentelemetry.context.attach';
const DETACH = 'opentelemetry.context.detach';
const CONTEXT_MODULE = 'opentelemetry.context';
const CONTEXT_MANAGER_DECORATORS = new Set(['contextlib.contextmanager', 'contextlib.asynccontextmanager']);
/** Longest call text quoted whole in a message; longer calls are shortened to `callee(...)`. */
const MAX_QUOTED_CALL = 60;

type MessageIds =
  | 'discarded'
  | 'neverDetached'
  | 'notInFinally'
  | 'notInFinallyAwait'
  | 'yieldNotInFinally'
  | 'lateTry'
  | 'wrapInTryFinally'
  | 'bindAndWrapInTryFinally'
  | 'startTryAfterAttach';

/** How an attach's token is detached, when the rule has something to say about it. */
type Finding =
  | { kind: 'discarded'; statement: PyNode }
  | { kind: 'neverDetached'; statement: PyNode; binding: Binding }
  | { kind: 'notInFinally'; statement: PyNode; binding: Binding; detaches: Call[] }
  | { kind: 'lateTry'; statement: PyNode; binding: Binding; tryStatement: TryStatement; firstBetween: PyNode };

/**
 * Finds `opentelemetry.context.attach(...)` whose token is not detached on every path, so the attached
 * context (usually a span) stays current after the code that meant to scope it.
 *
 * The token is followed through the function by name. A token that escapes (stored on an object or in
 * a container, returned, passed to another call, read by a nested function) is someone else's job to
 * detach and is not reported: `__enter__`/`__exit__` and `on_start`/`on_end` pairs work that way.
 */
export default createPythonRule<MessageIds>({
  name: 'no-leaked-context',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require the token of `opentelemetry.context.attach()` to be detached in a `finally`',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      discarded:
        '`{{call}}`{{inSpan}} discards its token, so this context can never be detached: it stays current for whatever this task runs next.',
      neverDetached:
        'The token `{{token}}` from `{{call}}`{{inSpan}} is never detached: the context stays current for whatever this task runs next.',
      notInFinally:
        '`{{detach}}` is not in a `finally`: an exception or early `return` after `{{call}}`{{inSpan}} skips it and leaves the context attached.',
      notInFinallyAwait:
        '`{{detach}}` is not in a `finally`: an exception or early `return` after `{{call}}`{{inSpan}} skips it, and the `await` on line {{line}} can raise (cancellation, timeout) with the context attached, leaking it into whatever this task runs next (the code that catches the error, its next request or message, the tasks it creates).',
      yieldNotInFinally:
        'The `yield` on line {{line}} is not inside `try`/`finally`: an exception in the `{{withKeyword}}` body is raised at the `yield`, skips `{{detach}}`, and leaves the context from `{{call}}`{{inSpan}} attached.',
      lateTry:
        'Code on line {{line}} runs between `{{call}}`{{inSpan}} and the `try` whose `finally` detaches its token: if it {{raises}}, the context stays attached.',
      wrapInTryFinally: 'Wrap the code after `{{call}}` in `try:` / `finally: {{detach}}`.',
      bindAndWrapInTryFinally: 'Keep the token as `{{token}}` and wrap the code after `{{call}}` in `try:` / `finally: {{detach}}`.',
      startTryAfterAttach: 'Start the `try` right after `{{call}}`.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const model = getProjectModel(context);

    return {
      call(call: Call) {
        if (model.calleeName(call) !== ATTACH) return;
        const finding = analyze(model, call);
        if (!finding) return;
        const data = {
          call: quotedCall(model, call),
          inSpan: spanSuffix(model, call),
          token: finding.kind === 'discarded' ? '' : finding.binding.name,
          detach: '',
          line: '',
          withKeyword: 'with',
          raises: 'raises',
        };
        const suggestions: { messageId: MessageIds; data: Record<string, string>; fix: (fixer: RuleTextEditor) => RuleTextEdit[] }[] = [];
        let messageId: MessageIds = finding.kind;
        if (finding.kind === 'notInFinally') {
          const first = finding.detaches[0] as Call;
          data.detach = quotedCall(model, first);
          const yieldPoint = isContextManager(model, call) ? firstBetween(model, call, first, isYield) : null;
          const awaitPoint = firstBetween(model, call, first, isSuspension);
          if (yieldPoint) {
            messageId = 'yieldNotInFinally';
            if (model.functionOf(call)?.async === true) data.withKeyword = 'async with';
            data.line = String(sourceCode.lineIndex.positionAt(yieldPoint.range[0]).line);
          } else if (awaitPoint) {
            messageId = 'notInFinallyAwait';
            data.line = String(sourceCode.lineIndex.positionAt(awaitPoint.range[0]).line);
          }
        }
        if (finding.kind === 'lateTry') {
          data.line = String(sourceCode.lineIndex.positionAt(finding.firstBetween.range[0]).line);
          const exit = firstBetween(model, call, finding.tryStatement, isEarlyExit);
          if (exit) data.raises = exit.type === 'return_statement' ? 'raises or returns early' : 'raises or leaves the loop early';
          const edit = startTryAfterAttach(sourceCode, finding);
          if (edit) suggestions.push({ messageId: 'startTryAfterAttach', data, fix: (fixer) => [fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)] });
        } else {
          const wrap = wrapSuggestion(sourceCode, model, call, finding);
          if (wrap) {
            suggestions.push({
              messageId: finding.kind === 'discarded' ? 'bindAndWrapInTryFinally' : 'wrapInTryFinally',
              data: { ...data, token: wrap.tokenName, detach: oneLine(wrap.detachText) },
              fix: (fixer) => wrap.edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)),
            });
          }
        }
        context.report({ node: call, messageId, data, suggest: suggestions });
      },
    };
  },
});

/** Decides whether the token of this attach call is detached on every path; null when it is (or escapes). */
function analyze(model: SemanticModel, call: Call): Finding | null {
  if (call.parent?.type === 'expression_statement' && call.parent.children.length === 1) return { kind: 'discarded', statement: call.parent };
  // `token = attach(ctx) if ctx else None` binds the token too (or None, which detach is never given).
  const value = call.parent?.type === 'conditional_expression' && call.parent.children[0] === call && call.parent.children[2]?.type === 'none' ? call.parent : call;
  const parent = value.parent;
  if (parent?.type !== 'assignment' || parent.right !== value || parent.left?.type !== 'identifier') return null;
  const statement = parent.parent;
  if (statement?.type !== 'expression_statement') return null;
  const target = parent.left;
  const scope = model.scopeAt(target);
  const name = target.text ?? '';
  if (scope.globals.has(name) || scope.nonlocals.has(name)) return null;
  const binding = scope.bindings.get(name)?.find((candidate) => candidate.identifier === target);
  if (!binding) return null;

  const uses = bindingUses(model, binding);
  if (uses.nestedReads.length > 0) return null;
  const detaches: Call[] = [];
  for (const read of uses.reads) {
    const detach = detachCallOf(model, read);
    if (detach) detaches.push(detach);
    else if (!isPlainTest(read)) return null; // the token escapes: whoever receives it detaches it
  }
  if (detaches.length === 0) return { kind: 'neverDetached', statement, binding };

  let lateTry: { tryStatement: TryStatement; firstBetween: PyNode } | null = null;
  for (const detach of detaches) {
    for (const tryStatement of finallyOwners(detach, model.functionOf(call))) {
      const finallyClause = tryStatement.children.find((child) => child.type === 'finally_clause');
      if (contains(tryStatement, statement) && finallyClause && !contains(finallyClause, statement)) return null;
      const path = pathToLaterStatement(statement, tryStatement);
      if (path === 'adjacent') return null;
      if (path) lateTry ??= { tryStatement, firstBetween: path };
    }
  }
  if (lateTry) return { kind: 'lateTry', statement, binding, ...lateTry };
  // `token = attach(ctx)` directly followed by its detach: nothing runs while the context is attached.
  const only = detaches.length === 1 ? detachStatement(detaches[0] as Call, statement) : null;
  if (only && nextStatement(statement) === only) return null;
  return { kind: 'notInFinally', statement, binding, detaches };
}

/** The `detach(token)` call when `read` is its token argument. */
function detachCallOf(model: SemanticModel, read: PyNode): Call | null {
  let argument: PyNode = read;
  if (read.parent?.type === 'keyword_argument') {
    if (read.parent.name?.text !== 'token') return null;
    argument = read.parent;
  }
  const list = argument.parent;
  if (list?.type !== 'argument_list' || list.children.length !== 1) return null;
  const call = list.parent;
  return call?.type === 'call' && model.calleeName(call) === DETACH ? call : null;
}

/**
 * Reads that only test the token (`if token is not None:`, `if token and ready:`, `del token`) and do
 * not hand it on. `x = token or other` hands it on: a boolean operator counts only in a test position.
 */
function isPlainTest(read: PyNode): boolean {
  let node = read;
  for (let parent = node.parent; parent; node = parent, parent = parent.parent) {
    switch (parent.type) {
      case 'comparison_operator':
      case 'not_operator':
      case 'delete_statement':
      case 'assert_statement':
        return true;
      case 'boolean_operator':
      case 'parenthesized_expression':
        continue;
      case 'if_statement':
      case 'elif_clause':
      case 'while_statement':
        return parent.condition === node;
      case 'conditional_expression':
        return parent.children[1] === node;
      default:
        return false;
    }
  }
  return false;
}

/** The `try` statements whose `finally` runs `node`, innermost first, within its function. */
function finallyOwners(node: PyNode, fn: PyNode | null): TryStatement[] {
  const owners: TryStatement[] = [];
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (current.type === 'finally_clause' && current.parent?.type === 'try_statement') owners.push(current.parent);
  }
  return owners;
}

/**
 * How control gets from `statement` to the later statement `target` of the same straight-line path
 * (leaving `if` branches that end on the way): `'adjacent'` when `target` runs right after it, else the
 * first statement that runs in between; null when `target` is not on that path.
 */
function pathToLaterStatement(statement: PyNode, target: PyNode): 'adjacent' | PyNode | null {
  let current = statement;
  let firstBetween: PyNode | null = null;
  for (;;) {
    const siblings = blockStatements(current.parent);
    const index = siblings.indexOf(current);
    const targetIndex = siblings.indexOf(target);
    const end = index !== -1 && targetIndex > index ? targetIndex : siblings.length;
    firstBetween ??= siblings.slice(index + 1, end).find((between) => !cannotRaise(between)) ?? null;
    if (end === targetIndex) return firstBetween ?? 'adjacent';
    const owner = current.parent?.parent;
    if (owner?.type === 'if_statement') current = owner;
    else if ((owner?.type === 'elif_clause' || owner?.type === 'else_clause') && owner.parent?.type === 'if_statement') current = owner.parent;
    else return null;
  }
}

/**
 * Statements that cannot raise (or run other code) between an attach and its `try`: `pass`, a plain
 * `def` without decorators, and binding a name to a literal or `None`.
 */
function cannotRaise(statement: PyNode): boolean {
  if (statement.type === 'pass_statement' || statement.type === 'function_definition') return true;
  if (statement.type !== 'expression_statement') return false;
  const [expression] = statement.children;
  if (expression?.type !== 'assignment' || expression.left?.type !== 'identifier' || expression.annotation) return false;
  const value = expression.right;
  if (value?.type === 'string') return !value.children.some((part) => part.type === 'interpolation');
  return ['none', 'true', 'false', 'integer', 'float'].includes(value?.type ?? '');
}

/**
 * The statement that a detach call is, when it can be moved as a whole into a `finally`: the call as
 * an expression statement, or an `if` (no `elif`/`else`) whose only statement that is, in the same
 * block as the attach and after it.
 */
function detachStatement(detach: Call, attachStatement: PyNode): PyNode | null {
  const own = detach.parent;
  if (own?.type !== 'expression_statement' || own.children.length !== 1) return null;
  let statement: PyNode = own;
  const block = own.parent;
  const owner = block?.parent;
  if (block?.type === 'block' && block.children.length === 1 && owner?.type === 'if_statement' && owner.alternative.length === 0) {
    statement = owner;
  }
  if (statement.parent !== attachStatement.parent || statement.range[0] < attachStatement.range[1]) return null;
  return statement;
}

/** Where a coroutine can be suspended (and cancelled): `await`, `async with`, `async for`. */
const isSuspension = (node: PyNode): boolean =>
  node.type === 'await' || ((node.type === 'with_statement' || node.type === 'for_statement') && node.async === true);
const isYield = (node: PyNode): boolean => node.type === 'yield';
const isEarlyExit = (node: PyNode): boolean => node.type === 'return_statement' || node.type === 'break_statement' || node.type === 'continue_statement';

/** The first node matching `test` after `from` and before `to` that runs in the same function (not in a nested def or lambda). */
function firstBetween(model: SemanticModel, from: PyNode, to: PyNode, test: (node: PyNode) => boolean): PyNode | null {
  const fn = model.functionOf(from);
  const root = fn?.type === 'function_definition' ? fn.body : model.module;
  if (!root) return null;
  let found: PyNode | null = null;
  const pending: PyNode[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.range[1] <= from.range[1] || node.range[0] >= to.range[0]) continue;
    if (node !== root && (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition')) continue;
    if (node.range[0] > from.range[1] && test(node) && (!found || node.range[0] < found.range[0])) found = node;
    pending.push(...childrenInSourceOrder(node));
  }
  return found;
}

/** Whether the attach runs in a generator decorated with `@contextmanager` / `@asynccontextmanager`. */
function isContextManager(model: SemanticModel, node: PyNode): boolean {
  const fn = model.functionOf(node);
  if (fn?.type !== 'function_definition') return false;
  const facts = model.facts(fn);
  return facts.isGenerator && facts.decorators.some((decorator) => CONTEXT_MANAGER_DECORATORS.has(model.qualifiedName(decorator.children[0]) ?? ''));
}

/** A call as written, on one line; a long call is shortened to `callee(...)`. */
function quotedCall(model: SemanticModel, call: Call): string {
  const text = oneLine(model.textOf(call));
  if (text.length <= MAX_QUOTED_CALL) return text;
  return `${call.function ? oneLine(model.textOf(call.function)) : 'attach'}(...)`;
}

/** Code on one line: line breaks and the indentation after them are dropped (`f(\n    x\n)` is `f(x)`). */
function oneLine(text: string): string {
  return text
    .replace(/[ \t]*(?:\r\n|\r|\n)\s*/gu, ' ')
    .replace(/([([{]) /gu, '$1')
    .replace(/,? ([)\]}])/gu, '$1');
}

function spanSuffix(model: SemanticModel, call: Call): string {
  const name = model.spans.openSpanAt(call)?.span.name ?? null;
  return name ? ` inside span "${name}"` : '';
}

// ---------------------------------------------------------------------------------------------------
// Suggestions

/**
 * `try:` / `finally: detach(token)` around the statements after the attach: through the detach
 * (which moves into the `finally`) when there is exactly one in the same block, else through the end
 * of the block. A discarded token is bound to a fresh name first.
 */
function wrapSuggestion(
  sourceCode: PythonSourceCode,
  model: SemanticModel,
  call: Call,
  finding: Exclude<Finding, { kind: 'lateTry' }>,
): { edits: TextEdit[]; detachText: string; tokenName: string } | null {
  const { statement } = finding;
  const text = sourceCode.text;
  const first = nextStatement(statement);
  if (!first || !/[\r\n]/u.test(text.slice(statement.range[1], first.range[0]))) return null;
  const edits: TextEdit[] = [];

  let moved: PyNode | null = null;
  let last: PyNode;
  if (finding.kind === 'notInFinally') {
    if (finding.detaches.length !== 1) return null;
    moved = detachStatement(finding.detaches[0] as Call, statement);
    if (!moved) return null;
    const siblings = blockStatements(statement.parent);
    last = siblings[siblings.indexOf(moved) - 1] as PyNode;
    if (last === statement) return null;
  } else {
    const siblings = blockStatements(statement.parent);
    last = siblings[siblings.length - 1] as PyNode;
  }

  let tokenName: string;
  if (finding.kind === 'discarded') {
    tokenName = freshTokenName(model, call);
    edits.push({ range: [call.range[0], call.range[0]], text: `${tokenName} = ` });
  } else {
    tokenName = finding.binding.name;
    // A later `token = ...` inside the wrapped code would make the `finally` detach the wrong token.
    const rebound = (finding.binding.scope.bindings.get(tokenName) ?? []).some(
      (other) => other !== finding.binding && other.identifier.range[0] > statement.range[1] && other.identifier.range[0] < (moved ?? last).range[1],
    );
    if (rebound) return null;
  }

  let finallyBody: string[];
  let detachText: string;
  let end: number;
  const wrapEnd = endOfTrailingComment(sourceCode, last.range[1]);
  if (moved) {
    const between = commentsBetween(sourceCode, wrapEnd, moved.range[0]);
    if (between === null || !restOfLineIsBlank(sourceCode, moved.range[1])) return null;
    const targetIndent = indentationAt(sourceCode, first.range[0]) + indentUnitOf(text);
    const movedText = reindent(indentationAt(sourceCode, moved.range[0]) + model.textOf(moved), indentationAt(sourceCode, moved.range[0]), targetIndent).slice(targetIndent.length);
    finallyBody = [...between, movedText];
    detachText = movedText;
    end = moved.range[1];
  } else {
    const detach = detachCallee(sourceCode, model, call);
    if (detach.edit) edits.push(detach.edit);
    detachText = `${detach.callee}(${tokenName})`;
    finallyBody = [detachText];
    end = wrapEnd;
  }
  const wrap = wrapInTryFinally(sourceCode, first, last, finallyBody);
  edits.push({ range: [wrap.range[0], end], text: wrap.text });
  return { edits, detachText, tokenName };
}

/** The own-line comments between two offsets (as written), or null when anything else is there. */
function commentsBetween(sourceCode: PythonSourceCode, from: number, to: number): string[] | null {
  const comments = commentsWithin(sourceCode, from, to);
  let rest = sourceCode.text.slice(from, to);
  for (const comment of [...comments].reverse()) {
    rest = rest.slice(0, comment.range[0] - from) + rest.slice(comment.range[1] - from);
  }
  if (rest.trim() !== '') return null;
  return comments.map((comment) => sourceCode.text.slice(comment.range[0], comment.range[1]));
}

/** Whether only spaces, tabs or a comment follow `offset` on its line. */
function restOfLineIsBlank(sourceCode: PythonSourceCode, offset: number): boolean {
  const end = endOfTrailingComment(sourceCode, offset);
  const lineBreak = /\r\n|\r|\n|$/u.exec(sourceCode.text.slice(end));
  return sourceCode.text.slice(end, end + (lineBreak?.index ?? 0)).trim() === '';
}

/**
 * How this module writes `detach`, in the attach call's own import form: `context.detach`,
 * `ctx.detach`, `opentelemetry.context.detach`, or `detach` (added to the `from` import of `attach`
 * when needed). Falls back to `opentelemetry.context.detach` with an import.
 */
function detachCallee(sourceCode: PythonSourceCode, model: SemanticModel, call: Call): { callee: string; edit: TextEdit | null } {
  const callee = call.function;
  if (callee?.type === 'attribute' && callee.object && model.qualifiedName(callee.object) === CONTEXT_MODULE) {
    return { callee: `${model.textOf(callee.object)}.detach`, edit: null };
  }
  const scope = model.scopeAt(call);
  for (let current: typeof scope | null = scope; current; current = current.parent) {
    for (const [name, bindings] of current.bindings) {
      const [binding] = bindings;
      if (bindings.length !== 1 || binding?.kind !== 'import' || model.lookup(name, scope) !== bindings) continue;
      if (binding.importedName === DETACH) return { callee: name, edit: null };
      if (binding.importedName === CONTEXT_MODULE) return { callee: `${name}.detach`, edit: null };
    }
  }
  if (callee?.type === 'identifier' && model.lookup('detach', scope) === null) {
    const importFrom = importStatementOf(model, callee);
    const lastName = importFrom?.name[importFrom.name.length - 1];
    if (lastName) return { callee: 'detach', edit: { range: [lastName.range[1], lastName.range[1]], text: ', detach' } };
  }
  if (model.moduleAlias('opentelemetry') === 'opentelemetry') return { callee: `${CONTEXT_MODULE}.detach`, edit: null };
  return { callee: `${CONTEXT_MODULE}.detach`, edit: ensureImport(sourceCode, model, CONTEXT_MODULE) };
}

/** `from opentelemetry.context import attach` that binds the name `attach` is called by. */
function importStatementOf(model: SemanticModel, identifier: Identifier): ImportFromStatement | null {
  const binding = model.valueBinding(identifier);
  if (binding?.kind !== 'import' || binding.importedName !== ATTACH) return null;
  const statement = binding.identifier.parent?.type === 'aliased_import' ? binding.identifier.parent.parent : binding.identifier.parent?.parent;
  if (statement?.type !== 'import_from_statement' || statement.module_name?.type !== 'dotted_name') return null;
  return model.textOf(statement.module_name) === CONTEXT_MODULE ? statement : null;
}

function freshTokenName(model: SemanticModel, at: PyNode): string {
  const fn = model.functionOf(at);
  const used = new Set<string>();
  const pending: PyNode[] = [fn ?? model.module];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'identifier' && node.text) used.add(node.text);
    pending.push(...childrenInSourceOrder(node));
  }
  const scope = model.scopeAt(at);
  for (const candidate of ['token', 'context_token', 'otel_token']) {
    if (!used.has(candidate) && model.lookup(candidate, scope) === null) return candidate;
  }
  for (let suffix = 2; ; suffix++) {
    const candidate = `token_${suffix}`;
    if (!used.has(candidate) && model.lookup(candidate, scope) === null) return candidate;
  }
}

/**
 * For an attach followed by statements and then the `try` whose `finally` detaches it: moves the
 * `try:` line up to right after the attach, so the statements in between are protected too. Only for
 * a `try` with no `except`/`else` (moving code into one would change which errors it handles).
 */
function startTryAfterAttach(sourceCode: PythonSourceCode, finding: Extract<Finding, { kind: 'lateTry' }>): TextEdit | null {
  const { statement, tryStatement, firstBetween } = finding;
  const text = sourceCode.text;
  if (tryStatement.parent !== statement.parent) return null;
  if (tryStatement.children.some((child) => child.type !== 'finally_clause')) return null;
  const body = tryStatement.body;
  if (!body || !/[\r\n]/u.test(text.slice(statement.range[1], firstBetween.range[0]))) return null;
  const eol = lineEndingOf(text);
  const headerBreak = /\r\n|\r|\n/u.exec(text.slice(tryStatement.range[0]));
  if (!headerBreak) return null;
  const headerEnd = tryStatement.range[0] + headerBreak.index;
  if (body.range[0] < headerEnd) return null; // `try: x()` on one line
  const tryLineStart = lineStartAt(sourceCode, tryStatement.range[0]);
  const start = lineStartAt(sourceCode, firstBetween.range[0]);
  const header = text.slice(tryLineStart, headerEnd);
  return { range: [start, headerEnd + headerBreak[0].length], text: `${header}${eol}${indentLinesDeeper(sourceCode, start, tryLineStart)}` };
}
