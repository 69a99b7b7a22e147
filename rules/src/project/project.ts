import { parsePythonText } from '../language/python-language.js';
import { SemanticModel, type ModuleIdentity, type NameResolver } from '../semantic/model.js';
import { ProjectFiles } from './files.js';
import { locateModule, sourceLayout, type ModuleLocation, type SourceLayout } from './roots.js';
import { summarizeModule, type ClassSummary, type FunctionSummary, type ModuleSummary } from './summary.js';

/**
 * The project index: every Python module a lint reaches through imports, read and summarized once per
 * content (summaries are kept by file text; a changed file is summarized again), and the questions
 * that follow names across modules. One index serves the whole process: the CLI reads each file once,
 * the language server announces edits and disk changes through {@link ProjectIndex.files}.
 */

const MAX_DEPTH = 24;
/** The most recently linted files whose text and model are kept (so importers reuse their model instead of re-reading them). */
const LIVE_CAPACITY = 64;
/** Decorators that leave a function's return value as it is. */
const TRANSPARENT_DECORATORS = new Set([
  'functools.cache',
  'functools.lru_cache',
  'functools.lru_cache()',
  'functools.cached_property',
  'builtins.staticmethod',
  'builtins.classmethod',
  'builtins.property',
]);
/**
 * OpenTelemetry's own API and SDK modules: their functions mean what the rules' tables say (a tracer,
 * a span), so when the project is OpenTelemetry itself their bodies are not followed.
 */
const OTEL_API = /^opentelemetry\.(?:trace|context|sdk|util|propagate|baggage|metrics|_logs|_events|attributes)(?:\.|$)/u;

/** A function found by name in the project. */
export interface ProjectFunction {
  readonly module: ModuleSummary;
  readonly fn: FunctionSummary;
}

/** A class found by name in the project. */
export interface ProjectClass {
  readonly module: ModuleSummary;
  readonly cls: ClassSummary;
}

interface CachedSummary {
  readonly text: string;
  readonly identityKey: string;
  readonly summary: ModuleSummary | null;
}

interface LiveModule {
  readonly text: string;
  model: SemanticModel | null;
}

export class ProjectIndex {
  readonly files = new ProjectFiles();
  readonly #summaries = new Map<string, CachedSummary>();
  readonly #live = new Map<string, LiveModule>();
  readonly #projects = new Map<string, Project>();
  readonly #layouts = new Map<string, SourceLayout>();
  #generation = -1;
  /** Sentences for the log (unreadable pyproject.toml files, modules that failed to summarize), each once. */
  readonly problems = new Set<string>();
  /** How many modules were parsed for their summary, and how many summaries came from a linted file's model (for tests and benchmarks). */
  readonly counts = { parsed: 0, fromLint: 0, cached: 0 };

  /** Where a linted file sits: its layout and the project of its roots. */
  projectFor(filePath: string, configuredRoots: readonly string[], cwd: string): { layout: SourceLayout; project: Project } {
    this.#sync();
    const key = `${filePath}\0${cwd}\0${configuredRoots.join('\0')}`;
    let layout = this.#layouts.get(key);
    if (!layout) {
      layout = sourceLayout(this.files, filePath, configuredRoots, cwd);
      for (const problem of layout.problems) this.problems.add(problem);
      this.#layouts.set(key, layout);
    }
    const rootsKey = layout.roots.join('\0');
    let project = this.#projects.get(rootsKey);
    if (!project) {
      project = new Project(this, layout.roots);
      this.#projects.set(rootsKey, project);
    }
    return { layout, project };
  }

  /**
   * A file is about to be linted with this text: it is what the project sees at its path from now on
   * (over the disk). A text that differs from what was seen there before is a change.
   */
  noteLintText(path: string, text: string): void {
    const previous = this.#live.get(path);
    const before = previous ? previous.text : this.files.readText(path);
    if (before !== null && before !== text) this.files.changed();
    this.#live.delete(path);
    this.#live.set(path, { text, model: null });
    for (const [oldest] of this.#live) {
      if (this.#live.size <= LIVE_CAPACITY) break;
      this.#live.delete(oldest);
    }
  }

  /** The linted file's model: its summary is made from it, without parsing the file again. */
  attachLintModel(path: string, model: SemanticModel): void {
    const live = this.#live.get(path);
    if (live?.text !== model.text) return;
    live.model = model;
    // Only the latest few models are kept: each holds its module's whole tree.
    let kept = 0;
    for (const entry of [...this.#live.values()].reverse()) if (entry.model && ++kept > 4) entry.model = null;
  }

  /** Forgets a linted file's text (its editor buffer was closed): the disk holds the module again. */
  forgetLint(path: string): void {
    if (this.#live.delete(path)) this.files.changed();
  }

  /** The text of a module as the project sees it: the linted text, else an open buffer or the disk. */
  textOf(path: string): string | null {
    return this.#live.get(path)?.text ?? this.files.readText(path);
  }

  isFile(path: string): boolean {
    return this.#live.has(path) || this.files.isFile(path);
  }

  isDirectory(path: string): boolean {
    return this.files.isDirectory(path);
  }

  /** The summary of the module at `path` under the given name; null when it cannot be read or parsed. */
  summaryAt(path: string, identity: ModuleIdentity): ModuleSummary | null {
    const text = this.textOf(path);
    if (text === null) return null;
    const identityKey = `${identity.name}\0${identity.isPackage}`;
    const cached = this.#summaries.get(path);
    if (cached && cached.identityKey === identityKey && cached.text === text) {
      this.counts.cached++;
      return cached.summary;
    }
    let summary: ModuleSummary | null = null;
    try {
      const live = this.#live.get(path);
      const liveModel = live?.text === text ? live.model : null;
      if (liveModel && liveModel.identity?.name === identity.name && liveModel.identity.isPackage === identity.isPackage) {
        summary = summarizeModule(liveModel, path, identity);
        this.counts.fromLint++;
      } else {
        const parsed = parsePythonText(text);
        this.counts.parsed++;
        if (parsed) summary = summarizeModule(new SemanticModel(parsed.ast, text, { identity }), path, identity);
      }
    } catch (error) {
      this.problems.add(`${path} could not be summarized for the project model (${error instanceof Error ? error.message : String(error)}); its names are unknown to other modules.`);
      summary = null;
    }
    this.#summaries.set(path, { text, identityKey, summary });
    return summary;
  }

  /** Summaries kept (for the benchmark's memory report). */
  get summaryCount(): number {
    return this.#summaries.size;
  }

  /** Drops everything derived from files when a change was announced. */
  #sync(): void {
    if (this.#generation === this.files.generation) return;
    this.#generation = this.files.generation;
    this.#projects.clear();
    this.#layouts.clear();
  }

  /** For tests: forget every file, summary and project. */
  reset(): void {
    this.#summaries.clear();
    this.#live.clear();
    this.#projects.clear();
    this.#layouts.clear();
    this.files.changed();
    this.problems.clear();
    this.counts.parsed = 0;
    this.counts.fromLint = 0;
    this.counts.cached = 0;
  }

  /** The generation the index last synchronized with (projects are made per generation). */
  get generation(): number {
    return this.#generation;
  }

  /** Whether a project is still current (no change announced since it was made). */
  isCurrent(): boolean {
    return this.#generation === this.files.generation;
  }
}

type Token = string;
const CALL: Token = '()';

/** `a.b().c` → ['a', 'b', '()', 'c']. */
function tokenize(name: string): Token[] {
  const tokens: Token[] = [];
  for (const part of name.split('.')) {
    let rest = part;
    let calls = 0;
    while (rest.endsWith(CALL)) {
      rest = rest.slice(0, -2);
      calls++;
    }
    if (rest) tokens.push(rest);
    for (let i = 0; i < calls; i++) tokens.push(CALL);
  }
  return tokens;
}

/** ['a', 'b', '()', 'c'] → `a.b().c`. */
function join(tokens: readonly Token[]): string {
  let name = '';
  for (const token of tokens) {
    if (token === CALL) name += CALL;
    else name += name === '' ? token : `.${token}`;
  }
  return name;
}

function withTail(name: string, tail: readonly Token[]): string {
  return tail.length === 0 ? name : join([...tokenize(name), ...tail]);
}

/**
 * The modules under one list of source roots. Answers are remembered until the index's files change
 * (the index then makes new projects).
 */
export class Project implements NameResolver {
  readonly #canonical = new Map<string, string>();
  readonly #projectNames = new Map<string, boolean>();
  readonly #locations = new Map<string, ModuleLocation | null>();

  constructor(
    readonly index: ProjectIndex,
    readonly roots: readonly string[],
  ) {}

  /** Where a dotted module name is (a file, or a namespace folder), or null when no root has it. */
  locate(name: string): ModuleLocation | null {
    let location = this.#locations.get(name);
    if (location === undefined) {
      location = locateModule(this.index, this.roots, name);
      this.#locations.set(name, location);
    }
    return location;
  }

  /** The summary of a project module by dotted name; null for a namespace folder, a module not in the project, or one that does not parse. */
  module(name: string): ModuleSummary | null {
    const location = this.locate(name);
    if (!location?.path) return null;
    return this.index.summaryAt(location.path, { name, isPackage: location.isPackage });
  }

  canonical(name: string): string {
    let known = this.#canonical.get(name);
    if (known === undefined) {
      // Placeholder first: a cycle of re-exports comes back to the name itself.
      this.#canonical.set(name, name);
      known = this.#resolve(name, new Set()) ?? name;
      this.#canonical.set(name, known);
    }
    return known;
  }

  isProjectName(name: string): boolean {
    let known = this.#projectNames.get(name);
    if (known === undefined) {
      known = this.#modulePrefix(tokenize(name))?.summary !== undefined;
      this.#projectNames.set(name, known);
    }
    return known;
  }

  /** The function a canonical name refers to (`shop.pricing.fetch_price`, `shop.Client().fetch`, `shop.Client.build`). */
  functionAt(name: string): ProjectFunction | null {
    const prefix = this.#modulePrefix(tokenize(name));
    if (!prefix) return null;
    const { summary, rest } = prefix;
    const [first, ...tail] = rest;
    if (first === undefined || first === CALL) return null;
    if (tail.length === 0) {
      const fn = summary.functions.get(first);
      return fn ? { module: summary, fn } : null;
    }
    const cls = summary.classes.get(first);
    if (!cls) return null;
    const methodTokens = tail[0] === CALL ? tail.slice(1) : tail;
    if (methodTokens.length !== 1 || methodTokens[0] === CALL) return null;
    return this.methodOf({ module: summary, cls }, methodTokens[0] as string, 0);
  }

  /** The class a canonical name refers to (`shop.Client`). */
  classAt(name: string): ProjectClass | null {
    const prefix = this.#modulePrefix(tokenize(name));
    if (!prefix || prefix.rest.length !== 1) return null;
    const cls = prefix.summary.classes.get(prefix.rest[0] as string);
    return cls ? { module: prefix.summary, cls } : null;
  }

  /** A method of a class or of one of its project base classes (first found in base order). */
  methodOf(owner: ProjectClass, method: string, depth: number): ProjectFunction | null {
    if (depth > 8) return null;
    const qualname = owner.cls.methods.get(method);
    const fn = qualname ? owner.module.functions.get(qualname) : undefined;
    if (fn) return { module: owner.module, fn };
    for (const base of owner.cls.bases) {
      const baseClass = base ? this.classAt(this.canonical(base)) : null;
      const found = baseClass ? this.methodOf(baseClass, method, depth + 1) : null;
      if (found) return found;
    }
    return null;
  }

  /** The canonical names of a class's bases, and theirs, breadth first (project classes followed). */
  ancestorsOf(owner: ProjectClass): string[] {
    const names: string[] = [];
    const pending: ProjectClass[] = [owner];
    for (let current = pending.shift(); current && names.length < 64; current = pending.shift()) {
      for (const base of current.cls.bases) {
        if (!base) continue;
        const name = this.canonical(base);
        if (names.includes(name)) continue;
        names.push(name);
        const baseClass = this.classAt(name);
        if (baseClass) pending.push(baseClass);
      }
    }
    return names;
  }

  /**
   * The project modules a module imports, directly and through them (its parent packages' `__init__`
   * included, as Python runs them), by path; the module's own path first.
   */
  importClosure(start: ModuleSummary, limit = 2_000): ModuleSummary[] {
    const seen = new Set<string>([start.path]);
    const order: ModuleSummary[] = [start];
    for (let i = 0; i < order.length && order.length < limit; i++) {
      const summary = order[i] as ModuleSummary;
      for (const imported of summary.imports) {
        const parts = imported.split('.');
        for (let length = 1; length <= parts.length; length++) {
          const found = this.module(parts.slice(0, length).join('.'));
          if (!found || seen.has(found.path)) continue;
          seen.add(found.path);
          order.push(found);
        }
      }
    }
    return order;
  }

  /** The longest leading run of names that is a project module with a file, and what follows it. */
  #modulePrefix(tokens: readonly Token[]): { summary: ModuleSummary; rest: Token[] } | null {
    let found: { summary: ModuleSummary; rest: Token[] } | null = null;
    for (let length = 1; length <= tokens.length; length++) {
      const part = tokens[length - 1];
      if (part === CALL || part === undefined) break;
      const moduleName = tokens.slice(0, length).join('.');
      const location = this.locate(moduleName);
      if (!location) break;
      if (!location.path) continue;
      const summary = this.module(moduleName);
      if (summary) found = { summary, rest: tokens.slice(length) };
    }
    return found;
  }

  /**
   * What a name stands for, or null when following it comes back to a name already followed (a cycle
   * of re-exports: the name means nothing we can know). `seen` holds the names followed so far.
   */
  #resolve(name: string, seen: Set<string>): string | null {
    if (seen.has(name)) return null;
    if (seen.size > MAX_DEPTH) return name;
    seen.add(name);
    const prefix = this.#modulePrefix(tokenize(name));
    if (!prefix || prefix.rest.length === 0) return name;
    const member = this.#member(prefix.summary, prefix.rest, seen);
    return member === undefined ? name : member;
  }

  /** A name's meaning once its module is known: `rest` are the tokens after the module. */
  #member(summary: ModuleSummary, rest: readonly Token[], seen: Set<string>): string | null | undefined {
    const [first, ...tail] = rest;
    if (first === undefined || first === CALL) return undefined;
    const exported = summary.exports.get(first);
    if (exported === undefined) {
      for (const star of summary.starImports) {
        if (this.module(star)?.exports.has(first)) return this.#resolve(join([...tokenize(star), ...rest]), seen);
      }
      return undefined;
    }
    // Unknown, or a relative import that climbs above the top-level package (an ImportError in Python).
    if (exported === null || exported.startsWith('.')) return undefined;
    const ownName = `${summary.identity.name}.${first}`;
    if (exported !== ownName) return this.#resolve(withTail(exported, tail), seen);
    const fn = summary.functions.get(first);
    if (fn) {
      const returned = tail[0] === CALL ? this.returnOf(summary, fn) : null;
      return returned === null ? undefined : this.#resolve(withTail(returned, tail.slice(1)), seen);
    }
    const cls = summary.classes.get(first);
    return cls ? this.#classMember({ module: summary, cls }, tail, seen) : undefined;
  }

  /** `Cls().attribute...`, `Cls().method()...`, `Cls.method()...`, `Cls().prop` (a property). */
  #classMember(owner: ProjectClass, tail: readonly Token[], seen: Set<string>): string | null | undefined {
    const instance = tail[0] === CALL;
    const rest = instance ? tail.slice(1) : tail;
    const [attribute, ...after] = rest;
    if (attribute === undefined || attribute === CALL) return undefined;
    if (instance) {
      const assigned = this.#attributeOf(owner, attribute, 0);
      if (assigned) return this.#resolve(withTail(assigned, after), seen);
    }
    const method = this.methodOf(owner, attribute, 0);
    if (!method) return undefined;
    const isProperty = method.fn.decorators.some((decorator) => decorator === 'builtins.property' || decorator === 'functools.cached_property');
    const called = isProperty ? instance : after[0] === CALL;
    const returned = called ? this.returnOf(method.module, method.fn) : null;
    return returned === null ? undefined : this.#resolve(withTail(returned, isProperty ? after : after.slice(1)), seen);
  }

  #attributeOf(owner: ProjectClass, attribute: string, depth: number): string | null {
    if (depth > 8) return null;
    const value = owner.cls.attributes.get(attribute);
    if (value !== undefined) return value;
    for (const base of owner.cls.bases) {
      const baseClass = base ? this.classAt(this.canonical(base)) : null;
      const found = baseClass ? this.#attributeOf(baseClass, attribute, depth + 1) : null;
      if (found) return found;
    }
    return null;
  }

  /**
   * What calling a project function gives, as a local name of its module: its agreed return value, when
   * a call returns it (not for async defs, which return a coroutine, generators, or functions whose
   * decorators may replace them).
   */
  returnOf(module: ModuleSummary, fn: FunctionSummary): string | null {
    if (fn.isAsync || fn.isGenerator || fn.returns === null) return null;
    if (OTEL_API.test(module.identity.name)) return null;
    if (!fn.decorators.every((decorator) => decorator !== null && TRANSPARENT_DECORATORS.has(this.canonical(decorator)))) return null;
    return fn.returns;
  }
}
