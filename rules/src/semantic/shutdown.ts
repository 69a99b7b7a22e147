import type { Call, FunctionDefinition, PyNode } from '../language/generated/node-types.js';
import type { SemanticModel } from './model.js';
import { isTracerProviderName } from './otel.js';
import type { Binding } from './scope.js';
import { callsRunBy, isInFinally } from './statements.js';
import { calleeLastName } from './callee.js';

/**
 * How a module sets up and ends its tracing pipeline: the TracerProvider it builds with a batching
 * span processor, the asyncio entry points that run the program, the signals it handles, and the
 * calls that flush the provider. Measured with the OTel Python SDK: `TracerProvider()` flushes at
 * exit through atexit, which the default SIGTERM handler and `os._exit()` both skip.
 */

/** A `TracerProvider` that gets a batching span processor. */
export interface BatchingProvider {
  /** The `add_span_processor(BatchSpanProcessor(...))` call. */
  readonly addCall: Call;
  /** The `TracerProvider(...)` construction, when it is known. */
  readonly construction: Call | null;
  /** The binding that holds the provider (`provider = TracerProvider()`), when there is one. */
  readonly binding: Binding | null;
  /** How messages name the provider: its variable, else the expression the processor is added to. */
  readonly label: string;
}

/** A call that runs the event loop until the program is done. */
export interface EntryPoint {
  readonly call: Call;
  /** `run`: `asyncio.run(coro)` and alike; `until_complete`: `loop.run_until_complete(coro)`; `forever`: `loop.run_forever()`. */
  readonly kind: 'run' | 'until_complete' | 'forever';
  /** The awaitable it runs (absent for `run_forever`). */
  readonly awaitable: PyNode | null;
  /** The loop (`loop` in `loop.run_forever()`), for the loop methods. */
  readonly loop: PyNode | null;
}

/** Signal names handled somewhere in the module; `any` when a handler is installed for a signal we cannot name. */
export type HandledSignals = ReadonlySet<string> | 'any';

export interface ShutdownFacts {
  readonly providers: readonly BatchingProvider[];
  /** Every `TracerProvider(...)` construction in the module. */
  readonly constructions: readonly Call[];
  readonly entries: readonly EntryPoint[];
  readonly handledSignals: HandledSignals;
  /** `os._exit(...)` calls. */
  readonly hardExits: readonly Call[];
  /** Calls that flush or shut down the provider (directly, or through a function of the module that does). */
  readonly flushCalls: readonly Call[];
  /** Functions registered to run at exit that flush the provider (`atexit.register(provider.shutdown)`). */
  readonly flushesAtExit: boolean;
}

const RUN_FUNCTIONS = new Set(['asyncio.run', 'asyncio.runners.run', 'asyncio.Runner().run', 'asyncio.runners.Runner().run', 'uvloop.run']);
/** Servers that install their own signal handlers and shut down cleanly on SIGTERM. */
const SIGNAL_OWNING_SERVERS = /^(?:uvicorn|hypercorn|gunicorn)\./u;
const FLUSH_METHODS = new Set(['shutdown', 'force_flush']);
const SIGNAL_NUMBERS: Readonly<Record<string, string>> = { '1': 'SIGHUP', '2': 'SIGINT', '3': 'SIGQUIT', '15': 'SIGTERM' };
const DEFAULT_DISPOSITIONS = new Set(['signal.SIG_DFL', 'signal.SIG_IGN', 'signal.Handlers.SIG_DFL', 'signal.Handlers.SIG_IGN']);
const MAX_FLUSH_DEPTH = 4;

export function isTracerProviderConstruction(model: SemanticModel, call: Call): boolean {
  const name = model.calleeName(call);
  return name !== null && /^opentelemetry\.sdk\.(?:[\w.]+\.)?TracerProvider$/u.test(name);
}

function isBatchProcessor(model: SemanticModel, expression: PyNode | null | undefined): boolean {
  const name = model.qualifiedName(expression);
  return name !== null && /^opentelemetry\.[\w.]*BatchSpanProcessor\(\)$/u.test(name);
}


/** The positional arguments of a call (keyword arguments and splats left out). */
export function positionalArguments(call: Call): PyNode[] {
  if (call.arguments?.type !== 'argument_list') return [];
  return call.arguments.children.filter(
    (argument) => argument.type !== 'keyword_argument' && argument.type !== 'list_splat' && argument.type !== 'dictionary_splat',
  );
}

/** A keyword argument's value (`shutdown_on_exit=False` → the `False` node). */
export function keywordArgument(call: Call, name: string): Extract<PyNode, { type: 'keyword_argument' }> | null {
  if (call.arguments?.type !== 'argument_list') return null;
  for (const argument of call.arguments.children) {
    if (argument.type === 'keyword_argument' && argument.name?.text === name) return argument;
  }
  return null;
}

/** The method name and receiver of `receiver.method(...)`. */
function methodCall(call: Call): { method: string; receiver: PyNode } | null {
  const callee = call.function;
  if (callee?.type !== 'attribute' || !callee.object || !callee.attribute?.text) return null;
  return { method: callee.attribute.text, receiver: callee.object };
}

export class ShutdownAnalysis implements ShutdownFacts {
  readonly providers: BatchingProvider[] = [];
  #constructions: Call[] | undefined;
  /** Names of the module's functions that may flush (see {@link #mayFlushNames}); built on first use. */
  #flushNames: Set<string> | undefined;
  readonly entries: EntryPoint[] = [];
  readonly hardExits: Call[] = [];
  readonly flushCalls: Call[] = [];
  flushesAtExit = false;
  readonly handledSignals: HandledSignals;
  readonly #flushingFunctions = new Map<FunctionDefinition, boolean>();

  constructor(private readonly model: SemanticModel) {
    const handled = new Set<string>();
    let anySignal = false;
    const calls = model.nodesOfType('call');
    const decorated = model.nodesOfType('function_definition').filter((fn) => fn.parent?.type === 'decorated_definition');
    for (const call of calls) {
      const method = methodCall(call);
      if (method?.method !== 'add_span_processor') continue;
      const processor = positionalArguments(call)[0] ?? keywordArgument(call, 'span_processor')?.value;
      if (isBatchProcessor(model, processor)) this.providers.push(this.#provider(call, method.receiver));
    }
    for (const call of calls) {
      const calleeName = model.calleeName(call);
      const method = methodCall(call);
      const entry = this.#entryPoint(call, calleeName, method);
      if (entry) this.entries.push(entry);
      if (calleeName === 'os._exit') this.hardExits.push(call);
      if (this.isFlushCall(call)) this.flushCalls.push(call);
      if (calleeName === 'atexit.register' && this.isFlushReference(positionalArguments(call)[0])) this.flushesAtExit = true;

      const signalArguments = this.#signalRegistration(call, calleeName, method?.method);
      if (signalArguments) {
        const names = this.signalNames(signalArguments);
        if (names === null) anySignal = true;
        else for (const name of names) handled.add(name);
      }
    }
    this.#atexitDecorated(decorated);
    this.handledSignals = anySignal ? 'any' : handled;
  }

  /** Every `TracerProvider(...)` construction in the module (found on first use). */
  get constructions(): readonly Call[] {
    this.#constructions ??= this.model.nodesOfType('call').filter((call) => isTracerProviderConstruction(this.model, call));
    return this.#constructions;
  }

  /** True when the module builds a provider with a batching processor (what this analysis is about). */
  get batches(): boolean {
    return this.providers.length > 0;
  }

  /** Whether `call` flushes or shuts down the provider, itself or through a function of this module. */
  isFlushCall(call: Call, depth = 0): boolean {
    const method = methodCall(call);
    if (method && FLUSH_METHODS.has(method.method) && this.#isProviderLike(method.receiver)) return true;
    return this.#callsFlushingFunction(call.function, depth);
  }

  /** Whether a callable passed along (`atexit.register(provider.shutdown)`) flushes the provider. */
  isFlushReference(expression: PyNode | null | undefined): boolean {
    if (!expression) return false;
    if (expression.type === 'attribute' && expression.object && FLUSH_METHODS.has(expression.attribute?.text ?? '')) {
      return this.#isProviderLike(expression.object);
    }
    return this.#callsFlushingFunction(expression, 0);
  }

  /** Whether the provider is flushed in some `finally:` block or by a function registered with atexit. */
  flushesInFinallyOrAtExit(): boolean {
    return this.flushesAtExit || this.flushCalls.some((call) => isInFinally(call));
  }

  /**
   * The signal names an expression denotes: `signal.SIGTERM`, `signal.Signals.SIGTERM`, `15`, or a loop
   * variable over a literal tuple of those. Null when it cannot be told.
   */
  signalNames(expression: PyNode | null | undefined): string[] | null {
    if (!expression) return null;
    if (expression.type === 'integer') {
      const name = SIGNAL_NUMBERS[this.model.textOf(expression)];
      return name ? [name] : null;
    }
    const qualified = this.model.qualifiedName(expression);
    const match = qualified ? /^signal\.(?:Signals\.)?(SIG\w+)$/u.exec(qualified) : null;
    if (match?.[1]) return [match[1]];
    if (expression.type === 'identifier') return this.#loopVariableSignals(expression);
    return null;
  }

  #loopVariableSignals(identifier: PyNode): string[] | null {
    const binding = this.model.valueBinding(identifier);
    if (binding?.kind !== 'loop') return null;
    let loop: PyNode | null = binding.identifier.parent;
    while (loop && loop.type !== 'for_statement' && loop.type !== 'for_in_clause') loop = loop.parent;
    if (!loop || loop.left !== binding.identifier) return null;
    let iterable: PyNode | null = (loop.type === 'for_statement' ? loop.right : loop.right[0]) ?? null;
    while (iterable?.type === 'parenthesized_expression') iterable = iterable.children[0] ?? null;
    if (!iterable || !['tuple', 'list', 'set', 'expression_list'].includes(iterable.type)) return null;
    const names: string[] = [];
    for (const element of iterable.children) {
      const found = this.signalNames(element);
      if (!found) return null;
      names.push(...found);
    }
    return names;
  }

  /** The signal argument of a handler registration that handles it (not `SIG_DFL`/`SIG_IGN`). */
  #signalRegistration(call: Call, calleeName: string | null, method: string | undefined): PyNode | null {
    // Checked before the arguments are gathered: this runs for every call of the module.
    if (method !== 'add_signal_handler' && calleeName !== 'signal.signal') return null;
    const [signalArgument, handler] = positionalArguments(call);
    if (!signalArgument) return null;
    if (method === 'add_signal_handler') return signalArgument;
    if (calleeName === 'signal.signal') {
      const disposition = this.model.qualifiedName(handler);
      return disposition && DEFAULT_DISPOSITIONS.has(disposition) ? null : signalArgument;
    }
    return null;
  }

  #entryPoint(call: Call, calleeName: string | null, method: { method: string; receiver: PyNode } | null): EntryPoint | null {
    // Checked before the arguments are gathered: this runs for every call of the module.
    const isRun = calleeName !== null && RUN_FUNCTIONS.has(calleeName);
    if (!isRun && method?.method !== 'run_until_complete' && method?.method !== 'run_forever') return null;
    let entry: EntryPoint | null = null;
    const [first] = positionalArguments(call);
    const awaitable = first ?? keywordArgument(call, 'main')?.value ?? keywordArgument(call, 'future')?.value ?? null;
    if (calleeName && RUN_FUNCTIONS.has(calleeName)) entry = { call, kind: 'run', awaitable, loop: null };
    else if (method?.method === 'run_until_complete') entry = { call, kind: 'until_complete', awaitable, loop: method.receiver };
    else if (method?.method === 'run_forever' && positionalArguments(call).length === 0) {
      entry = { call, kind: 'forever', awaitable: null, loop: method.receiver };
    }
    if (!entry) return null;
    // `asyncio.run(server.serve())` with a uvicorn/hypercorn server: the server owns the signals.
    const served = entry.awaitable ? this.model.qualifiedName(entry.awaitable) : null;
    return served && SIGNAL_OWNING_SERVERS.test(served) ? null : entry;
  }

  #provider(addCall: Call, receiver: PyNode): BatchingProvider {
    if (receiver.type === 'identifier') {
      const binding = this.model.valueBinding(receiver);
      const value = binding?.value;
      if (binding && value?.type === 'call' && isTracerProviderConstruction(this.model, value)) {
        return { addCall, construction: value, binding, label: binding.name };
      }
    }
    const receiverName = this.model.qualifiedName(receiver);
    if (receiverName?.endsWith('.get_tracer_provider()') || receiver.type !== 'identifier') {
      // `trace.get_tracer_provider().add_span_processor(...)`: the provider built elsewhere in the module.
      const construction = this.constructions[0] ?? null;
      const binding = construction ? this.#bindingHolding(construction) : null;
      return { addCall, construction, binding, label: binding?.name ?? this.model.textOf(receiver) };
    }
    return { addCall, construction: null, binding: null, label: this.model.textOf(receiver) };
  }

  /** The binding of `name = <call>` when the call's value is assigned to a plain name. */
  #bindingHolding(call: Call): Binding | null {
    let parent = call.parent;
    while (parent?.type === 'parenthesized_expression') parent = parent.parent;
    if (parent?.type !== 'assignment' || parent.left?.type !== 'identifier') return null;
    const target = parent.left;
    return this.model.resolve(target)?.find((binding) => binding.identifier === target) ?? null;
  }

  #isProviderLike(receiver: PyNode): boolean {
    const name = this.model.qualifiedName(receiver);
    if (isTracerProviderName(name) || isBatchProcessor(this.model, receiver)) return true;
    // A provider kept where names do not resolve (`app.state.provider`, an unannotated parameter).
    return this.model.isUnknownValue(name) && /provider|processor/iu.test(this.model.textOf(receiver));
  }

  #callsFlushingFunction(callee: PyNode | null | undefined, depth: number): boolean {
    if (depth >= MAX_FLUSH_DEPTH) return false;
    // Resolving every call of the module to its function was most of this analysis: first rule out,
    // by name, the calls that cannot reach a flush.
    const name = calleeLastName(callee);
    if (name === null || !this.#mayFlushNames().has(name)) return false;
    const fn = this.model.resolveFunction(callee);
    if (!fn?.body) return false;
    const known = this.#flushingFunctions.get(fn);
    if (known !== undefined) return known;
    // Recursion guard: a function that calls itself does not flush by doing so.
    this.#flushingFunctions.set(fn, false);
    const flushes = callsRunBy(fn.body).some((call) => this.isFlushCall(call, depth + 1));
    this.#flushingFunctions.set(fn, flushes);
    return flushes;
  }

  /**
   * The names of the module's functions that may flush, over-approximated by name: those whose body
   * (at any depth) calls a `shutdown`/`force_flush` method, then those that call a function of such a
   * name, and so on as deep as {@link MAX_FLUSH_DEPTH}. `resolveFunction` finds a function only through
   * its `def` name (a plain name or `self.<method>`), so a call whose name is not here cannot flush.
   */
  #mayFlushNames(): Set<string> {
    if (this.#flushNames) return this.#flushNames;
    const names = new Set<string>();
    const calls = this.model.nodesOfType('call');
    const addEnclosingFunctions = (call: Call): boolean => {
      let added = false;
      for (let node = call.parent; node; node = node.parent) {
        const fnName = node.type === 'function_definition' ? node.name?.text : undefined;
        if (fnName && !names.has(fnName)) {
          names.add(fnName);
          added = true;
        }
      }
      return added;
    };
    for (const call of calls) {
      const name = calleeLastName(call.function);
      if (name !== null && FLUSH_METHODS.has(name)) addEnclosingFunctions(call);
    }
    for (let depth = 0; depth < MAX_FLUSH_DEPTH; depth++) {
      let grew = false;
      for (const call of calls) {
        const name = calleeLastName(call.function);
        if (name !== null && names.has(name) && addEnclosingFunctions(call)) grew = true;
      }
      if (!grew) break;
    }
    this.#flushNames = names;
    return names;
  }

  /** `@atexit.register` on a function that flushes. */
  #atexitDecorated(functions: readonly FunctionDefinition[]): void {
    for (const fn of functions) {
      const decorators = this.model.facts(fn).decorators;
      if (!decorators.some((decorator) => this.model.qualifiedName(decorator.children[0]) === 'atexit.register')) continue;
      if (fn.body && callsRunBy(fn.body).some((call) => this.isFlushCall(call))) this.flushesAtExit = true;
    }
  }
}

