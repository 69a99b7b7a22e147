import type { Call, ClassDefinition, FunctionDefinition, PyNode } from '../language/generated/node-types.js';
import { candidateNames, isAwaitedCall } from '../semantic/blocking.js';
import type { ModuleIdentity, SemanticModel } from '../semantic/model.js';
import type { Binding } from '../semantic/scope.js';
import { dottedText } from '../semantic/scope.js';
import { ShutdownAnalysis } from '../semantic/shutdown.js';
import { callsRunBy, nodesRunBy } from '../semantic/statements.js';

/**
 * What the rest of the project needs to know about one module, read from its text alone: what its
 * module-level names stand for (as this module writes them: imports made absolute, values as local
 * qualified names), its functions and classes, and how it sets up and handles tracing shutdown. Names
 * are not followed into other modules here; the project index does that when asked, so a summary
 * depends only on the file's contents and is cached by them.
 */

/** A call made by a sync function's own body (nested defs and lambdas left out). */
export interface CallFact {
  /** The names the callee may be known by, as the module writes them (see `candidateNames`). */
  readonly names: readonly string[];
  /** The callee as messages show it: `requests.get()`. */
  readonly label: string;
  readonly line: number;
  /** The function of this module it calls, by qualname, when the module's own scopes tell (`helper()`, `self.helper()`). */
  readonly target: string | null;
}

export interface FunctionSummary {
  /** As Python's `__qualname__`: `fetch`, `Client.fetch`, `outer.<locals>.inner`. */
  readonly qualname: string;
  readonly name: string;
  readonly line: number;
  readonly isAsync: boolean;
  readonly isGenerator: boolean;
  /** The local qualified name of each decorator expression (`contextlib.contextmanager`, `functools.lru_cache()`), null when unknown. */
  readonly decorators: readonly (string | null)[];
  /** The local qualified name every `return <value>` agrees on (bare returns and `return None` left out), else null. */
  readonly returns: string | null;
  /** The nested function it returns (a decorator's wrapper), by qualname, when every return returns it. */
  readonly returnsFunction: string | null;
  /** The calls its body makes, for sync non-generator functions (what "does calling it block" reads); null otherwise. */
  readonly calls: readonly CallFact[] | null;
}

export interface ClassSummary {
  readonly qualname: string;
  readonly line: number;
  /** Local qualified names of the base classes. */
  readonly bases: readonly (string | null)[];
  /** Method name → qualname. */
  readonly methods: ReadonlyMap<string, string>;
  /** `self.<name>` assigned in its methods → the local qualified name all assignments agree on (null: they disagree or are unknown). */
  readonly attributes: ReadonlyMap<string, string | null>;
}

/** Tracing-shutdown facts of the module (only read when the text mentions them). */
export interface ShutdownSummary {
  /** Providers given a BatchSpanProcessor here: how messages name each, and its line. */
  readonly providers: readonly { readonly label: string; readonly line: number }[];
  /** Signals some code of the module installs a handler for; 'any' when one cannot be named. */
  readonly handledSignals: readonly string[] | 'any';
  /** Whether the module runs an event loop until done (`asyncio.run`, `run_until_complete`, `run_forever`). */
  readonly runsEventLoop: boolean;
  /** Whether the provider is flushed in a `finally:` or by an atexit hook registered here. */
  readonly flushesOnExit: boolean;
}

export interface ModuleSummary {
  readonly path: string;
  readonly identity: ModuleIdentity;
  /** Module-level name → what it stands for (local qualified name), null when that cannot be told. */
  readonly exports: ReadonlyMap<string, string | null>;
  readonly functions: ReadonlyMap<string, FunctionSummary>;
  readonly classes: ReadonlyMap<string, ClassSummary>;
  /** Modules whose names `from m import *` brings in (absolute). */
  readonly starImports: readonly string[];
  /** Every module the file imports, anywhere in it (absolute dotted names, as written). */
  readonly imports: readonly string[];
  readonly shutdown: ShutdownSummary;
}

const NO_SHUTDOWN: ShutdownSummary = { providers: [], handledSignals: [], runsEventLoop: false, flushesOnExit: false };

export function summarizeModule(model: SemanticModel, path: string, identity: ModuleIdentity): ModuleSummary {
  const functions = new Map<string, FunctionSummary>();
  for (const fn of model.nodesOfType('function_definition')) {
    const summary = summarizeFunction(model, fn);
    if (summary && !functions.has(summary.qualname)) functions.set(summary.qualname, summary);
  }
  const classes = new Map<string, ClassSummary>();
  for (const cls of model.nodesOfType('class_definition')) {
    const summary = summarizeClass(model, cls);
    if (summary && !classes.has(summary.qualname)) classes.set(summary.qualname, summary);
  }
  const { imports, starImports } = importsOf(model);
  return {
    path,
    identity,
    exports: exportsOf(model),
    functions,
    classes,
    starImports,
    imports,
    shutdown: shutdownOf(model),
  };
}

/** One name for a set of bindings: the one they all agree on (ignoring `= None` placeholders), else null. */
function agreedName(names: readonly (string | null | undefined)[]): string | null {
  let agreed: string | null | undefined;
  for (const name of names) {
    if (name === undefined) continue;
    if (name === null) return null;
    if (agreed === undefined) agreed = name;
    else if (agreed !== name) return null;
  }
  return agreed ?? null;
}

/** A binding's value as importers see it; undefined for a placeholder that says nothing (`x = None`). */
function bindingName(model: SemanticModel, binding: Binding): string | null | undefined {
  const own = model.identity?.name;
  switch (binding.kind) {
    case 'import':
      return binding.importedName === undefined ? null : model.absoluteImportName(binding.importedName);
    case 'function':
    case 'class':
      return own === undefined ? null : `${own}.${binding.name}`;
    case 'assignment':
      if (binding.value?.type === 'none') return undefined;
      return binding.value ? model.localQualifiedName(binding.value) : null;
    default:
      return null;
  }
}

function exportsOf(model: SemanticModel): Map<string, string | null> {
  const byName = new Map<string, Binding[]>();
  for (const [name, bindings] of model.root.bindings) byName.set(name, [...bindings]);
  // `global tracer` in a function, then `tracer = get_tracer()`: the module-level name is set there.
  for (const statement of model.nodesOfType('global_statement')) {
    const scope = model.scopeAt(statement);
    for (const identifier of statement.children) {
      const name = identifier.text;
      if (!name) continue;
      const assigned = scope.bindings.get(name) ?? [];
      const list = byName.get(name) ?? [];
      for (const binding of assigned) if (!list.includes(binding)) list.push(binding);
      byName.set(name, list);
    }
  }
  const exports = new Map<string, string | null>();
  for (const [name, bindings] of byName) exports.set(name, agreedName(bindings.map((binding) => bindingName(model, binding))));
  return exports;
}

function lineOf(node: PyNode): number {
  return node.loc.start.line;
}

function decoratorsOf(fn: FunctionDefinition | ClassDefinition): PyNode[] {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
  if (!decorated) return [];
  return decorated.children.flatMap((child): PyNode[] => {
    const expression: PyNode | undefined = child.type === 'decorator' ? child.children[0] : undefined;
    return expression ? [expression] : [];
  });
}

function summarizeFunction(model: SemanticModel, fn: FunctionDefinition): FunctionSummary | null {
  const qualname = model.qualnameOf(fn);
  if (!qualname || !fn.name?.text) return null;
  const facts = model.facts(fn);
  const returned: (string | null | undefined)[] = [];
  let returnsFunction: string | null | undefined;
  if (fn.body && !facts.isGenerator) {
    for (const node of nodesRunBy(fn.body)) {
      if (node.type !== 'return_statement') continue;
      const value = node.children[0];
      if (!value || value.type === 'none') continue;
      const nested = value.type === 'identifier' ? model.valueBinding(value)?.definition : undefined;
      if (nested?.type === 'function_definition' && model.functionOf(nested) === fn) {
        const nestedName = model.qualnameOf(nested);
        returnsFunction = returnsFunction === undefined || returnsFunction === nestedName ? nestedName : null;
        continue;
      }
      returned.push(model.localQualifiedName(value));
    }
  }
  const blocksOnCall = !facts.isAsync && !facts.isGenerator && fn.body !== null;
  return {
    qualname,
    name: fn.name.text,
    line: lineOf(fn),
    isAsync: facts.isAsync,
    isGenerator: facts.isGenerator,
    decorators: decoratorsOf(fn).map((expression) => model.localQualifiedName(expression)),
    returns: returned.length > 0 && returnsFunction === undefined ? agreedName(returned) : null,
    returnsFunction: returned.length === 0 ? (returnsFunction ?? null) : null,
    calls: blocksOnCall && fn.body ? callsOf(model, fn.body) : null,
  };
}

function callsOf(model: SemanticModel, body: PyNode): CallFact[] {
  const facts: CallFact[] = [];
  for (const call of callsRunBy(body)) {
    if (isAwaitedCall(call)) continue;
    const names = candidateNames(model, call);
    const target = model.resolveFunction(call.function);
    const targetName = target ? model.qualnameOf(target) : null;
    if (names.length === 0 && !targetName) continue;
    facts.push({ names, label: callLabel(model, call), line: lineOf(call), target: targetName });
  }
  return facts;
}

const MAX_LABEL = 48;

/** A callee as messages show it: its source on one line, shortened from the left, with `()`. */
export function callLabel(model: SemanticModel, call: Call): string {
  const callee = call.function ? model.textOf(call.function).replace(/\s+/gu, ' ') : '';
  const short = callee.length > MAX_LABEL ? `…${callee.slice(callee.length - MAX_LABEL + 1)}` : callee;
  return `${short}()`;
}

function summarizeClass(model: SemanticModel, cls: ClassDefinition): ClassSummary | null {
  const qualname = model.qualnameOf(cls);
  if (!qualname) return null;
  const bases = (cls.superclasses?.children ?? []).filter((base) => base.type !== 'keyword_argument').map((base) => model.localQualifiedName(base));
  const methods = new Map<string, string>();
  const assigned = new Map<string, (string | null | undefined)[]>();
  for (const statement of cls.body?.children ?? []) {
    const definition = statement.type === 'decorated_definition' ? statement.definition : statement;
    if (definition?.type !== 'function_definition' || !definition.name?.text) continue;
    methods.set(definition.name.text, `${qualname}.${definition.name.text}`);
    const selfName = definition.parameters?.children[0]?.text;
    if (!selfName || !definition.body) continue;
    for (const node of nodesRunBy(definition.body)) {
      if (node.type !== 'assignment' || node.left?.type !== 'attribute' || node.left.object?.text !== selfName) continue;
      const attribute = node.left.attribute?.text;
      let value = node.right;
      while (value?.type === 'assignment') value = value.right;
      if (!attribute || !value) continue;
      const list = assigned.get(attribute) ?? [];
      list.push(value.type === 'none' ? undefined : model.localQualifiedName(value));
      assigned.set(attribute, list);
    }
  }
  const attributes = new Map<string, string | null>();
  for (const [name, values] of assigned) attributes.set(name, agreedName(values));
  return { qualname, line: lineOf(cls), bases, methods, attributes };
}

function importsOf(model: SemanticModel): { imports: string[]; starImports: string[] } {
  const imports = new Set<string>();
  const starImports: string[] = [];
  for (const statement of model.nodesOfType('import_statement')) {
    for (const name of statement.name) {
      const dotted = name.type === 'aliased_import' ? name.name : name;
      if (dotted) imports.add(dottedText(dotted));
    }
  }
  for (const statement of model.nodesOfType('import_from_statement')) {
    const moduleNode = statement.module_name;
    if (!moduleNode) continue;
    const written = moduleNode.type === 'relative_import' ? relativeText(moduleNode) : dottedText(moduleNode);
    const absolute = model.absoluteImportName(written);
    if (absolute.startsWith('.')) continue;
    imports.add(absolute);
    // `from pkg import mod` may import a submodule.
    for (const name of statement.name) {
      const dotted = name.type === 'aliased_import' ? name.name : name;
      if (dotted) imports.add(`${absolute}.${dottedText(dotted)}`);
    }
    if (statement.children.some((child) => child.type === 'wildcard_import')) starImports.push(absolute);
  }
  return { imports: [...imports], starImports };
}

function relativeText(node: PyNode): string {
  const prefix = node.children.find((child) => child.type === 'import_prefix')?.text ?? '.';
  const name = node.children.find((child) => child.type === 'dotted_name');
  return `${prefix}${name ? dottedText(name) : ''}`;
}

function shutdownOf(model: SemanticModel): ShutdownSummary {
  const text = model.text;
  const mayMatter = text.includes('add_span_processor') || text.includes('signal') || text.includes('run') || text.includes('shutdown') || text.includes('flush');
  if (!mayMatter) return NO_SHUTDOWN;
  const facts = new ShutdownAnalysis(model);
  return {
    providers: facts.providers.map((provider) => ({ label: provider.label, line: lineOf(provider.construction ?? provider.addCall) })),
    handledSignals: facts.handledSignals === 'any' ? 'any' : [...facts.handledSignals],
    runsEventLoop: facts.entries.length > 0,
    flushesOnExit: facts.flushesInFinallyOrAtExit(),
  };
}
