import type { Call, PyNode } from '../language/generated/node-types.js';
import { SIGNALS_OPTION_SCHEMA } from '../util/signals-option.js';
import type { PythonSourceCode } from '../language/python-source-code.js';
import { contains, type SemanticModel } from '../semantic/index.js';
import { keywordArgument, ShutdownAnalysis, type BatchingProvider, type EntryPoint, type HandledSignals } from '../semantic/shutdown.js';
import { programShutdown, whereText } from '../project/program.js';
import { callsRunBy, enclosingStatement, isInFinally, statementsAfter, statementsBefore } from '../semantic/statements.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';
import { ensureImport, indentUnitOf, lineEndingOf, lineStartAt, type TextEdit } from '../util/python-edits.js';
import { insertAtBodyStart, insertBeforeStatement, wrapStatementInTry } from '../util/statement-edits.js';

type MessageIds =
  | 'signalNotHandled'
  | 'signalNotHandledInProgram'
  | 'hardExit'
  | 'shutdownOnExitDisabled'
  | 'cancelOnSignal'
  | 'stopOnSignal'
  | 'flushBeforeExit'
  | 'shutdownInFinally';
type Options = [{ signals?: string[] }];

const MAX_LABEL_LENGTH = 60;
const HELPER_NAME = '_cancel_on_signal';

export default createPythonRule<MessageIds, Options>({
  name: 'require-shutdown-flush',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require spans queued in a batch span processor to be flushed however the program stops (SIGTERM, `os._exit()`, `shutdown_on_exit=False`)',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [SIGNALS_OPTION_SCHEMA],
    defaultOptions: [{ signals: ['SIGTERM'] }],
    messages: {
      signalNotHandled:
        '`{{entry}}` runs the event loop, but nothing in this module handles {{signals}}: the spans still queued in the BatchSpanProcessor of `{{provider}}` are lost when the process is stopped that way (the default handler runs neither `finally:` blocks nor atexit hooks).',
      signalNotHandledInProgram:
        '`{{entry}}` runs the event loop of a program whose tracer provider `{{provider}}` ({{where}}) has a BatchSpanProcessor, but none of the program\'s modules handles {{signals}}: the spans still queued are lost when the process is stopped that way (the default handler runs neither `finally:` blocks nor atexit hooks).',
      hardExit:
        '`{{call}}` ends the process at once, running neither `finally:` blocks nor atexit hooks: the spans still queued in the BatchSpanProcessor of `{{provider}}` are lost. Flush the provider first.',
      shutdownOnExitDisabled:
        '`{{provider}}` is built with `shutdown_on_exit=False` and nothing calls its `shutdown()` or `force_flush()` when `{{entry}}` returns: the spans still queued in its BatchSpanProcessor are lost at exit.',
      cancelOnSignal: 'Make {{signals}} cancel the main task, and shut down `{{provider}}` in `finally:` around `{{entry}}`.',
      stopOnSignal: 'Make {{signals}} stop the loop, and shut down `{{provider}}` in `finally:` around `{{entry}}`.',
      flushBeforeExit: 'Call `{{flush}}` before `{{call}}`.',
      shutdownInFinally: 'Shut down `{{provider}}` in `finally:` around `{{entry}}`.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const signals = context.options[0]?.signals ?? ['SIGTERM'];
    return {
      module() {
        // Batching providers are found through `add_span_processor(...)` calls and entry points through
        // `run...(` calls: a module whose text has neither cannot matter here (most modules of a service).
        const hasProvider = sourceCode.text.includes('add_span_processor');
        if (!hasProvider && !RUNS_EVENT_LOOP.test(sourceCode.text)) return;
        const model = getProjectModel(context);
        const facts = new ShutdownAnalysis(model);
        if (facts.entries.length === 0) return;
        // The other modules of the program (what this module imports, to any depth) count too.
        const program = programShutdown(model);
        const handled = mergeSignals(facts.handledSignals, program?.handledSignals ?? new Set());
        const missing = handled === 'any' ? [] : signals.filter((name) => !handled.has(name));
        const [provider] = facts.providers;
        if (!provider) {
          const elsewhere = program?.provider;
          if (!elsewhere || missing.length === 0) return;
          const where = whereText(elsewhere.path, elsewhere.line, context.cwd);
          const remote: BatchingProvider = { addCall: (facts.entries[0] as EntryPoint).call, construction: null, binding: null, label: elsewhere.label };
          const edits = new ShutdownEdits(sourceCode, model, facts, remote);
          for (const entry of facts.entries) {
            const data = { entry: label(model, entry.call), signals: missing.join(' or '), provider: elsewhere.label, where };
            const fix = edits.onSignal(entry, missing);
            context.report({
              node: entry.call,
              messageId: 'signalNotHandledInProgram',
              data,
              suggest: fix
                ? [{ messageId: entry.kind === 'forever' ? 'stopOnSignal' : 'cancelOnSignal', data, fix: (fixer) => fix.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)) }]
                : [],
            });
          }
          return;
        }
        const edits = new ShutdownEdits(sourceCode, model, facts, provider);

        if (missing.length > 0) {
          const signalText = missing.join(' or ');
          for (const entry of facts.entries) {
            const data = { entry: label(model, entry.call), signals: signalText, provider: provider.label };
            const fix = edits.onSignal(entry, missing);
            context.report({
              node: entry.call,
              messageId: 'signalNotHandled',
              data,
              suggest: fix
                ? [{ messageId: entry.kind === 'forever' ? 'stopOnSignal' : 'cancelOnSignal', data, fix: (fixer) => fix.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)) }]
                : [],
            });
          }
        }

        for (const exit of facts.hardExits) {
          if (flushedBefore(facts, exit)) continue;
          const flush = edits.flushBefore(exit);
          const data = { call: label(model, exit), provider: provider.label };
          context.report({
            node: exit,
            messageId: 'hardExit',
            data,
            suggest: flush
              ? [{ messageId: 'flushBeforeExit', data: { ...data, flush: flush.call }, fix: (fixer) => flush.edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)) }]
              : [],
          });
        }

        if (flushedOnExitPath(facts)) return;
        const [firstEntry] = facts.entries;
        for (const construction of facts.constructions) {
          const argument = keywordArgument(construction, 'shutdown_on_exit');
          if (argument?.value?.type !== 'false' || !firstEntry) continue;
          const binding = facts.providers.find((candidate) => candidate.construction === construction)?.binding;
          const data = { provider: binding?.name ?? label(model, construction), entry: label(model, firstEntry.call) };
          const fix = edits.shutdownAround(firstEntry);
          context.report({
            node: argument,
            messageId: 'shutdownOnExitDisabled',
            data,
            suggest: fix ? [{ messageId: 'shutdownInFinally', data, fix: (fixer) => fix.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)) }] : [],
          });
        }
      },
    };
  },
});

const RUNS_EVENT_LOOP = /\brun(?:_until_complete|_forever)?\s*\(/u;

function mergeSignals(local: HandledSignals, program: ReadonlySet<string> | 'any'): HandledSignals {
  if (local === 'any' || program === 'any') return 'any';
  return new Set([...local, ...program]);
}

/** A call as messages show it: its source on one line, shortened. */
function label(model: SemanticModel, node: PyNode): string {
  const text = model
    .textOf(node)
    .replace(/([([{])\s*[\r\n]\s*/gu, '$1')
    .replace(/,?\s*[\r\n]\s*([)\]}])/gu, '$1')
    .replace(/\s*[\r\n]\s*/gu, ' ');
  return text.length > MAX_LABEL_LENGTH ? `${text.slice(0, MAX_LABEL_LENGTH - 1)}…` : text;
}

/**
 * A flush runs before `exit`: in an earlier statement of straight-line code, or earlier in the same
 * tuple (`lambda *_: (provider.force_flush(), os._exit(1))`).
 */
function flushedBefore(facts: ShutdownAnalysis, exit: Call): boolean {
  const flushes = (node: PyNode): boolean => callsRunBy(node).some((call) => facts.isFlushCall(call));
  let tuple: PyNode | null = exit.parent;
  while (tuple?.type === 'parenthesized_expression') tuple = tuple.parent;
  if (tuple?.type === 'tuple' || tuple?.type === 'expression_list') {
    const elements = tuple.children;
    const index = elements.findIndex((element) => element.range[0] <= exit.range[0] && exit.range[1] <= element.range[1]);
    if (elements.slice(0, Math.max(0, index)).some(flushes)) return true;
  }
  const statement = enclosingStatement(exit);
  return statement !== null && statementsBefore(statement).some(flushes);
}

/** The provider is flushed when the program ends normally: in `finally:`, at exit, or after the entry point returns. */
function flushedOnExitPath(facts: ShutdownAnalysis): boolean {
  if (facts.flushCalls.some((call) => isInFinally(call)) || facts.flushesAtExit) return true;
  return facts.entries.some((entry) => {
    const statement = enclosingStatement(entry.call);
    return statement !== null && statementsAfter(statement).some((after) => callsRunBy(after).some((call) => facts.isFlushCall(call)));
  });
}

/** Builds the suggestions' edits for one module. */
class ShutdownEdits {
  readonly #eol: string;
  readonly #unit: string;

  constructor(
    private readonly sourceCode: PythonSourceCode,
    private readonly model: SemanticModel,
    private readonly facts: ShutdownAnalysis,
    private readonly provider: BatchingProvider,
  ) {
    this.#eol = lineEndingOf(sourceCode.text);
    this.#unit = indentUnitOf(sourceCode.text);
  }

  /**
   * SIGTERM (and the other `missing` signals) cancels the main task, or stops a `run_forever` loop; the
   * entry point is wrapped in `try:` / `except CancelledError:` / `finally: provider.shutdown()`.
   */
  onSignal(entry: EntryPoint, missing: readonly string[]): TextEdit[] | null {
    const statement = enclosingStatement(entry.call);
    if (!statement) return null;
    const edits: TextEdit[] = [];
    const signalModule = this.#moduleName('signal', edits);
    const wrapped = this.#alreadyShutDownAround(statement);
    const shutdown = wrapped ? null : this.#providerAt(statement);
    if (!wrapped && !shutdown) return null;

    if (entry.kind === 'forever') {
      const loop = entry.loop ? this.model.textOf(entry.loop) : '';
      if (!/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/u.test(loop)) return null;
      const handlers = missing.map((name) => `${loop}.add_signal_handler(${signalModule}.${name}, ${loop}.stop)`);
      if (!shutdown) {
        const insert = insertBeforeStatement(this.sourceCode, statement, handlers);
        return insert ? [...edits, insert] : null;
      }
      const wrap = wrapStatementInTry(this.sourceCode, statement, { linesBefore: handlers, finallyBody: [`${shutdown}.shutdown()`] });
      return wrap ? [...edits, ...wrap] : null;
    }

    const asyncio = this.#moduleName('asyncio', edits);
    const handlers = missing.map(
      (name) => `${asyncio}.get_running_loop().add_signal_handler(${signalModule}.${name}, ${asyncio}.current_task().cancel)`,
    );
    const cancelEdits = this.#cancelInEntryCoroutine(entry, statement, handlers, missing);
    if (!cancelEdits) return null;
    if (!shutdown) return [...edits, ...cancelEdits];
    const wrap = wrapStatementInTry(this.sourceCode, statement, {
      handlers: [{ header: `except ${asyncio}.CancelledError:`, body: [`pass  # stopped by ${missing.join(' or ')}`] }],
      finallyBody: [`${shutdown}.shutdown()`],
    });
    if (!wrap) return null;
    // Inserts at one offset apply in array order: a helper `def` goes before the `try:` that may start
    // at the same offset, and the new indentation before an argument's `_cancel_on_signal(`.
    const [first, ...rest] = cancelEdits;
    return first ? [...edits, first, ...wrap, ...rest] : null;
  }

  /** `provider.force_flush()` right before `os._exit(...)` (in a lambda: `(provider.force_flush(), os._exit(...))`). */
  flushBefore(exit: Call): { call: string; edits: TextEdit[] } | null {
    const provider = this.#providerAt(exit);
    if (!provider) return null;
    const call = `${provider}.force_flush()`;
    const parent = exit.parent;
    if (parent?.type === 'lambda' && parent.body === exit) {
      return { call, edits: [{ range: [exit.range[0], exit.range[0]], text: `(${call}, ` }, { range: [exit.range[1], exit.range[1]], text: ')' }] };
    }
    const statement = enclosingStatement(exit);
    const insert = statement ? insertBeforeStatement(this.sourceCode, statement, [call]) : null;
    return insert ? { call, edits: [insert] } : null;
  }

  /** `try:` / `finally: provider.shutdown()` around the entry point. */
  shutdownAround(entry: EntryPoint): TextEdit[] | null {
    const statement = enclosingStatement(entry.call);
    if (!statement) return null;
    const provider = this.#providerAt(statement);
    return provider ? wrapStatementInTry(this.sourceCode, statement, { finallyBody: [`${provider}.shutdown()`] }) : null;
  }

  /**
   * The signal handlers go at the top of the entry coroutine when it is an `async def` of this module;
   * otherwise a small helper coroutine runs the awaitable in a task the signals cancel.
   */
  #cancelInEntryCoroutine(entry: EntryPoint, statement: PyNode, handlers: readonly string[], missing: readonly string[]): TextEdit[] | null {
    const awaitable = entry.awaitable;
    if (!awaitable) return null;
    const coroutine = awaitable.type === 'call' ? this.model.resolveFunction(awaitable.function) : null;
    if (coroutine?.async && coroutine.body && !contains(coroutine, statement)) {
      const insert = insertAtBodyStart(this.sourceCode, coroutine.body, handlers);
      if (insert) return [insert];
    }
    let top: PyNode = statement;
    while (top.parent && top.parent.type !== 'module') top = top.parent;
    const name = this.#freeModuleName(HELPER_NAME);
    const eol = this.#eol;
    const unit = this.#unit;
    const helper = [
      `async def ${name}(awaitable):`,
      `${unit}"""Await \`awaitable\` in a task that ${missing.join(' or ')} cancels, so \`finally:\` blocks run on shutdown."""`,
      ...handlers.map((line) => `${unit}${line}`),
      `${unit}return await awaitable`,
    ].join(eol);
    const at = aboveLeadingComments(this.sourceCode.text, lineStartAt(this.sourceCode, top.range[0]));
    return [
      { range: [at, at], text: `${eol.repeat(missingBlankLines(this.sourceCode.text, at))}${helper}${eol}${eol}${eol}` },
      { range: [awaitable.range[0], awaitable.range[0]], text: `${name}(` },
      { range: [awaitable.range[1], awaitable.range[1]], text: ')' },
    ];
  }

  /** True when the statement already runs in a `try:` whose `finally:` flushes the provider. */
  #alreadyShutDownAround(statement: PyNode): boolean {
    for (let node: PyNode | null = statement.parent; node; node = node.parent) {
      if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') return false;
      if (node.type !== 'try_statement') continue;
      const finallyClause = node.children.find((clause) => clause.type === 'finally_clause');
      if (finallyClause && callsRunBy(finallyClause).some((call) => this.facts.isFlushCall(call))) return true;
    }
    return false;
  }

  /**
   * How code at `at` refers to the provider: its variable when visible there, else the global provider
   * through the module's own import of `opentelemetry.trace`. Null without such an import: then the
   * module never set the global provider, and `get_tracer_provider()` would have no `shutdown()`.
   */
  #providerAt(at: PyNode): string | null {
    const binding = this.provider.binding;
    if (binding && this.model.lookup(binding.name, this.model.scopeAt(at))?.includes(binding)) return binding.name;
    for (const [name, bindings] of this.model.root.bindings) {
      const [only] = bindings;
      if (bindings.length !== 1 || only?.kind !== 'import') continue;
      if (only.importedName === 'opentelemetry.trace') return `${name}.get_tracer_provider()`;
      if (only.importedName === 'opentelemetry.trace.get_tracer_provider') return `${name}()`;
      // `import opentelemetry.trace` binds the package.
      if (only.importedName === 'opentelemetry' && name === 'opentelemetry') return 'opentelemetry.trace.get_tracer_provider()';
    }
    return null;
  }

  /** The module's name for `module` (`import asyncio as aio` → `aio`), adding `import module` when missing. */
  #moduleName(module: string, edits: TextEdit[]): string {
    const alias = this.model.moduleAlias(module);
    if (alias) return alias;
    const edit = ensureImport(this.sourceCode, this.model, module);
    if (edit) edits.push(edit);
    return module;
  }

  #freeModuleName(base: string): string {
    let name = base;
    for (let suffix = 2; this.model.root.bindings.has(name); suffix++) name = `${base}_${suffix}`;
    return name;
  }
}

/** The start of the comment lines right above line start `at` (a comment about a statement stays with it). */
function aboveLeadingComments(text: string, at: number): number {
  let start = at;
  while (start > 0) {
    // `start` is a line start: the previous line ends with the line break just before it.
    let end = start - 1;
    if (text.charAt(end) === '\n' && text.charAt(end - 1) === '\r') end--;
    let lineStart = end;
    while (lineStart > 0 && text.charAt(lineStart - 1) !== '\n' && text.charAt(lineStart - 1) !== '\r') lineStart--;
    if (!/^[ \t]*#/u.test(text.slice(lineStart, end))) return start;
    start = lineStart;
  }
  return start;
}

/** How many blank lines to add before a top-level `def` inserted at line start `at` (PEP 8 wants two). */
function missingBlankLines(text: string, at: number): number {
  if (at === 0) return 0;
  const trailingBreaks = /(?:[ \t]*(?:\r\n|\r|\n))*$/u.exec(text.slice(Math.max(0, at - 64), at))?.[0] ?? '';
  const blankLines = (trailingBreaks.match(/\r\n|\r|\n/gu)?.length ?? 1) - 1;
  return Math.max(0, 2 - blankLines);
}
