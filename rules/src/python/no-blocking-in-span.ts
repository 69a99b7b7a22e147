import type { RuleFixer, SuggestedEdit } from '@eslint/core';
import type { BlockingCall, BlockingCategory } from '../data/blocking-calls.js';
import type { Call, FunctionDefinition } from '../language/generated/node-types.js';
import type { PythonSourceCode } from '../language/python-source-code.js';
import { blockingChainText, blockingThroughHelper, type BlockingChain } from '../project/blocking.js';
import { getProjectModel } from '../project/index.js';
import { callLabel } from '../project/summary.js';
import { BlockingCalls, candidateNames, isAwaitedCall, makerCall } from '../semantic/blocking.js';
import { callerChainText, type OpenSpan, type SemanticModel } from '../semantic/index.js';
import { createPythonRule } from '../util/create-rule.js';
import { ensureImport, type TextEdit } from '../util/python-edits.js';

type MessageIds = 'blocking' | 'blockingInSpan' | 'blockingInCallerSpan' | 'useAsyncioSleep' | 'useToThread';
type Options = [{ scope: 'async' | 'span'; extraBlockingCalls: string[]; allowedCalls: string[] }];

const KIND: Readonly<Record<BlockingCategory, string>> = {
  sleep: 'a sleep',
  http: 'an HTTP request',
  socket: 'socket I/O',
  dns: 'a DNS lookup',
  subprocess: 'a child process',
  file: 'file I/O',
  database: 'a database round trip',
  console: 'reading the console',
  configured: 'listed in extraBlockingCalls',
};

/** Parents under which `await <call>` needs no parentheses to keep its meaning. */
const AWAIT_FITS_IN = new Set([
  'expression_statement',
  'assignment',
  'augmented_assignment',
  'return_statement',
  'argument_list',
  'keyword_argument',
  'parenthesized_expression',
  'expression_list',
  'list',
  'tuple',
  'set',
  'pair',
]);


export default createPythonRule<MessageIds, Options>({
  name: 'no-blocking-in-span',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow calls that block the event loop in `async def` functions, where every open span records the stall',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        properties: {
          scope: { enum: ['async', 'span'] },
          extraBlockingCalls: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
          allowedCalls: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ scope: 'async', extraBlockingCalls: [], allowedCalls: [] }],
    messages: {
      blocking:
        '`{{call}}` blocks the event loop ({{kind}}) in async function `{{function}}`: every span open at that moment (in a traced service, at least the request\'s server span) records the stall as its own latency, and every other coroutine waits. Use {{replacement}} instead.',
      blockingInSpan:
        '`{{call}}` blocks the event loop ({{kind}}) inside span "{{span}}": the span records the stall as its own latency, and every other coroutine waits. Use {{replacement}} instead.',
      blockingInCallerSpan:
        '`{{call}}` blocks the event loop ({{kind}}) inside span "{{span}}", opened by a caller ({{chain}}): the span records the stall as its own latency, and every other coroutine waits. Use {{replacement}} instead.',
      useAsyncioSleep: 'Replace with `await {{asyncio}}.sleep(...)`.',
      useToThread:
        'Run it in a worker thread: `await {{asyncio}}.to_thread({{callee}}, ...)` (the thread gets a copy of the current context, so its spans still nest).',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const model = getProjectModel(context);
    const [options] = context.options;
    const matcher = new BlockingCalls(options);

    const findings = new Map<Call, Finding | null>();
    /** What the rule reports for a call, or null; memoized, and safe against `f = f.read()` cycles. */
    const findingFor = (call: Call): Finding | null => {
      if (findings.has(call)) return findings.get(call) ?? null;
      findings.set(call, null);
      const finding = computeFinding(call);
      findings.set(call, finding);
      return finding;
    };
    const computeFinding = (call: Call): Finding | null => {
      const fn = model.functionOf(call);
      if (fn?.type !== 'function_definition' || fn.async !== true) return null;
      if (isAwaitedCall(call)) return null;
      const direct = matcher.entryFor(candidateNames(model, call));
      const via = direct ? null : blockingThroughHelper(model, call, matcher);
      const entry = direct ?? via?.entry;
      if (!entry) return null;
      if (direct?.coveredByMaker) {
        // The maker's report covers this call; a maker the user allows makes its object's I/O allowed too.
        const maker = makerCall(model, call);
        if (maker && (findingFor(maker) || matcher.isAllowed(candidateNames(model, maker)))) return null;
      }
      const open = model.spans.openSpanAt(call);
      if (options.scope === 'span' && !open) return null;
      return { fn, entry, open, via };
    };

    return {
      call(call) {
        const finding = findingFor(call);
        if (!finding) return;
        const { fn, entry, open, via } = finding;
        const label = callLabel(model, call);
        const data = {
          call: label,
          kind: via ? `${KIND[entry.category]}: ${blockingChainText(via, context.cwd)}` : KIND[entry.category],
          replacement: via ? `\`await asyncio.to_thread(${label.slice(0, -2)}, ...)\` or an async version of it` : entry.replacement,
          function: model.facts(fn).name ?? '<function>',
        };
        const edits = editsFor(sourceCode, model, call, fn, entry, via === null);
        const report = { node: call, ...edits };
        if (open && !open.callers) {
          context.report({ ...report, messageId: 'blockingInSpan', data: { ...data, span: model.spans.label(open.span) } });
        } else if (open?.callers) {
          context.report({
            ...report,
            messageId: 'blockingInCallerSpan',
            data: { ...data, span: model.spans.label(open.span), chain: callerChainText(open.callers) },
          });
        } else {
          context.report({ ...report, messageId: 'blocking', data });
        }
      },
    };
  },
});

interface Finding {
  readonly fn: FunctionDefinition;
  readonly entry: BlockingCall;
  readonly open: OpenSpan | null;
  /** The chain when the call blocks through a sync helper of the project. */
  readonly via: BlockingChain | null;
}

interface ReportEdits {
  fix?: RuleFixer;
  suggest?: SuggestedEdit<MessageIds>[];
}

/**
 * The fix and suggestions for one blocking call. `await` must be legal where the call is (its own
 * frame is the `async def`, not a class body or comprehension inside it) and `asyncio` must be
 * reachable under some name; otherwise nothing is offered.
 */
function editsFor(sourceCode: PythonSourceCode, model: SemanticModel, call: Call, fn: FunctionDefinition, entry: BlockingCall, direct: boolean): ReportEdits {
  if (model.scopeAt(call).node !== fn || !call.function || !call.arguments) return {};
  const asyncio = asyncioReference(sourceCode, model, call);
  if (!asyncio) return {};
  const apply =
    (edits: TextEdit[]): RuleFixer =>
    (fixer) =>
      [...(asyncio.importEdit ? [asyncio.importEdit] : []), ...edits].map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text));
  const argumentsText = model.textOf(call.arguments);

  if (direct && entry.pattern === 'time.sleep' && hasOneSimpleArgument(call)) {
    const statement = call.parent;
    // Alone in its statement, `await asyncio.sleep(x)` does exactly what `time.sleep(x)` meant, without the stall.
    if (statement?.type === 'expression_statement' && statement.children.length === 1) {
      const fix = apply([{ range: [call.function.range[0], call.function.range[1]], text: `await ${asyncio.name}.sleep` }]);
      // In a file that does not parse, the tree around the call was guessed: offer, never apply.
      if (sourceCode.syntaxProblems.length > 0) return { suggest: [{ messageId: 'useAsyncioSleep', data: { asyncio: asyncio.name }, fix }] };
      return { fix };
    }
    const replacement = awaitInPlace(call, `await ${asyncio.name}.sleep${argumentsText}`);
    return { suggest: [{ messageId: 'useAsyncioSleep', data: { asyncio: asyncio.name }, fix: apply([{ range: [call.range[0], call.range[1]], text: replacement }]) }] };
  }
  if (entry.sameThreadOnly) return {};

  const callee = model.textOf(call.function);
  const rest = call.arguments.type === 'argument_list' ? argumentsText.slice(1, -1) : argumentsText;
  const restText = rest.trim() === '' ? '' : /^\s/u.test(rest) ? `,${rest}` : `, ${rest}`;
  const replacement = awaitInPlace(call, `await ${asyncio.name}.to_thread(${callee}${restText})`);
  return {
    suggest: [
      {
        messageId: 'useToThread',
        data: { asyncio: asyncio.name, callee: callLabel(model, call).slice(0, -2) },
        fix: apply([{ range: [call.range[0], call.range[1]], text: replacement }]),
      },
    ],
  };
}

/** `await x` where the call was, parenthesized unless the parent already keeps it apart. */
function awaitInPlace(call: Call, awaitText: string): string {
  const parent = call.parent;
  const fits =
    parent !== null &&
    AWAIT_FITS_IN.has(parent.type) &&
    !(parent.type === 'assignment' && parent.right !== call) &&
    !(parent.type === 'augmented_assignment' && parent.right !== call) &&
    !(parent.type === 'keyword_argument' && parent.value !== call) &&
    !(parent.type === 'pair' && parent.value !== call);
  return fits ? awaitText : `(${awaitText})`;
}

/** `time.sleep(x)`: one positional argument, as `asyncio.sleep` takes it. */
function hasOneSimpleArgument(call: Call): boolean {
  if (call.arguments?.type !== 'argument_list' || call.arguments.children.length !== 1) return false;
  const argument = call.arguments.children[0];
  return argument !== undefined && argument.type !== 'keyword_argument' && argument.type !== 'list_splat' && argument.type !== 'dictionary_splat';
}

/**
 * The name `asyncio` is reachable by at the call: the module's own import (under any alias), else
 * `asyncio` plus an import to add. Null when the name `asyncio` means something else there.
 */
function asyncioReference(sourceCode: PythonSourceCode, model: SemanticModel, call: Call): { name: string; importEdit: TextEdit | null } | null {
  const scope = model.scopeAt(call);
  const isAsyncioImport = (name: string): boolean => {
    const bindings = model.lookup(name, scope);
    return bindings !== null && bindings.length > 0 && bindings.every((binding) => binding.kind === 'import' && binding.importedName === 'asyncio');
  };
  const alias = model.moduleAlias('asyncio');
  if (alias && isAsyncioImport(alias)) return { name: alias, importEdit: null };
  if (isAsyncioImport('asyncio')) return { name: 'asyncio', importEdit: null };
  if (model.lookup('asyncio', scope) !== null) return null;
  return { name: 'asyncio', importEdit: ensureImport(sourceCode, model, 'asyncio') };
}
