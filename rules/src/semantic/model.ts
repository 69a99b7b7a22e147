import type {
  Call,
  ClassDefinition,
  Decorator,
  FunctionDefinition,
  Identifier,
  Lambda,
  Module,
  PyNode,
} from '../language/generated/node-types.js';
import { nodeIndexOf, type NodeIndex } from '../language/node-index.js';
import { childrenInSourceOrder } from '../language/python-source-code.js';
import { SpanAnalysis } from './spans.js';
import { contains } from './uses.js';
import { buildScopes, scopeNodeOf, type Binding, type Scope } from './scope.js';

export type FunctionLike = FunctionDefinition | Lambda;

/** What rules ask about a `def`. */
export interface FunctionFacts {
  readonly name: string | null;
  readonly isAsync: boolean;
  /** Its own body yields (nested defs, lambdas and generator expressions do not count). */
  readonly isGenerator: boolean;
  readonly decorators: readonly Decorator[];
  /** The class whose body defines it, when it is a method. */
  readonly enclosingClass: ClassDefinition | null;
}

/** Where a module sits in its project: what `__name__` would be when it is imported. */
export interface ModuleIdentity {
  /** The dotted module name (`shop.pricing`; `shop` for `shop/__init__.py`). */
  readonly name: string;
  /** Whether the module is a package's `__init__.py` (its relative imports start at the package itself). */
  readonly isPackage: boolean;
}

/**
 * Follows a module-local qualified name through the project: imports of project modules, re-exports,
 * module-level values, and the return values of wrapper functions (implemented by the project layer).
 */
export interface NameResolver {
  /** The name with every project prefix replaced by what it stands for (`shop.telemetry.tracer` → `opentelemetry.trace.get_tracer()`). */
  canonical(name: string): string;
  /** Whether a canonical name still points into the project (a module, or a def, class or value of one). */
  isProjectName(name: string): boolean;
}

export interface ModelOptions {
  /** The module's name in its project; without it, relative imports and the module's own defs have no qualified names. */
  readonly identity?: ModuleIdentity | null;
  /** Answers across modules; without it, qualified names stop at the module's imports. */
  readonly resolver?: NameResolver | null;
}

const MAX_RESOLUTION_DEPTH = 16;
const NO_IDENTIFIERS: readonly Identifier[] = [];

/**
 * The semantic model of one Python module: scopes and bindings, qualified names of expressions,
 * and where code runs. Built once per file (see `getSemanticModel`) and shared by every rule.
 *
 * Qualified names are dotted paths from imports: `time.sleep`, `opentelemetry.context.attach`. The value
 * returned by a call is written with `()`: `opentelemetry.trace.get_tracer()` is a tracer, and
 * `requests.Session().get` is the `get` method of a session. Builtins are `builtins.<name>`.
 */
export class SemanticModel {
  readonly root: Scope;
  readonly #scopeOf: Map<PyNode, Scope>;
  readonly #qualifiedNames = new Map<PyNode, string | null>();
  readonly #canonicalNames = new Map<PyNode, string | null>();
  readonly identity: ModuleIdentity | null;
  readonly resolver: NameResolver | null;
  readonly #scopesAt = new Map<PyNode, Scope>();
  readonly #resolved = new Map<PyNode, readonly Binding[] | null>();
  readonly #selfAttributes = new Map<ClassDefinition, Map<string, PyNode[]>>();
  readonly #facts = new Map<FunctionLike, FunctionFacts>();
  #generatorFunctions: ReadonlySet<FunctionDefinition> | undefined;
  #identifiersByName: Map<string, Identifier[]> | undefined;

  /** Span scopes (with-statement spans, `use_span`, decorator spans) and the callers' spans. */
  readonly spans: SpanAnalysis;
  readonly #index: NodeIndex;

  constructor(
    readonly module: Module,
    /** The module's source text (what node ranges index into). */
    readonly text: string,
    options: ModelOptions = {},
  ) {
    this.identity = options.identity ?? null;
    this.resolver = options.resolver ?? null;
    const { root, scopeOf } = buildScopes(module);
    this.root = root;
    this.#scopeOf = scopeOf;
    this.#index = nodeIndexOf(module);
    this.spans = new SpanAnalysis(this, text);
  }

  /** Every node of one type in the module, in source order (shared: do not mutate). */
  nodesOfType<T extends PyNode['type']>(type: T): readonly Extract<PyNode, { type: T }>[] {
    return this.#index.ofType(type) as readonly Extract<PyNode, { type: T }>[];
  }

  /**
   * The identifiers with this text in the module, in source order (shared: do not mutate). Rules that
   * follow a name to its uses start here instead of walking a scope's subtree for it; the lists are made
   * in one pass over the module's identifiers, the first time any name is asked for.
   */
  identifiersNamed(name: string): readonly Identifier[] {
    if (!this.#identifiersByName) {
      const byName = new Map<string, Identifier[]>();
      for (const identifier of this.nodesOfType('identifier')) {
        const text = identifier.text;
        if (text === undefined) continue;
        const list = byName.get(text);
        if (list) list.push(identifier);
        else byName.set(text, [identifier]);
      }
      this.#identifiersByName = byName;
    }
    return this.#identifiersByName.get(name) ?? NO_IDENTIFIERS;
  }

  /**
   * The identifiers with this text inside `node` (or `node` itself), in source order. The per-name list
   * is in source order, so the ones inside a node's range are found by binary search: a module-level
   * name with a thousand uses is not walked up to the root once per use for every binding of that name.
   */
  identifiersNamedWithin(name: string, node: PyNode): readonly Identifier[] {
    const all = this.identifiersNamed(name);
    const [start, end] = node.range;
    const first = firstStartingAtOrAfter(all, start);
    let last = first;
    while (last < all.length && (all[last] as Identifier).range[1] <= end) last++;
    // A range test alone could take in a zero-width node at the edge; tree containment decides.
    return all.slice(first, last).filter((identifier) => contains(node, identifier));
  }

  /** Source text of a node. */
  textOf(node: PyNode): string {
    return this.text.slice(node.range[0], node.range[1]);
  }

  /**
   * The scope in which `node` is evaluated. Remembered per node: a lint asks this about the same few
   * thousand identifiers several times each (resolving a name, then choosing its binding), and each
   * answer is a climb through the node's ancestors.
   */
  scopeAt(node: PyNode): Scope {
    let scope = this.#scopesAt.get(node);
    if (scope === undefined) {
      scope = this.#findScopeAt(node);
      this.#scopesAt.set(node, scope);
    }
    return scope;
  }

  #findScopeAt(node: PyNode): Scope {
    // A lambda's own parameter names are in the lambda; everything else is where the scope tree's
    // builder places a binding site (see scopeNodeOf), a `def`'s parameter list included.
    const parent = node.parent;
    const lambda = parent?.type === 'lambda_parameters' ? parent.parent : null;
    const scopeNode = lambda?.type === 'lambda' && lambda.parameters === parent ? lambda : scopeNodeOf(node);
    return this.#scopeOf.get(scopeNode) ?? this.root;
  }

  /** Every binding of `name` visible from `scope`, following Python's lookup rules; null for builtins/unknown. */
  lookup(name: string, scope: Scope): readonly Binding[] | null {
    if (scope.globals.has(name)) return this.root.bindings.get(name) ?? null;
    let first = true;
    for (let current: Scope | null = scope; current; current = current.parent) {
      // Class bodies are not visible from functions (or comprehensions) nested in them.
      if (current.kind === 'class' && !first) continue;
      first = false;
      if (current.nonlocals.has(name) && current !== scope) continue;
      const bindings = current.bindings.get(name);
      if (bindings && !(current === scope && scope.nonlocals.has(name))) return bindings;
    }
    return null;
  }

  /** The bindings an identifier refers to where it is used (remembered: rules ask about the same uses again and again). */
  resolve(identifier: Identifier | PyNode): readonly Binding[] | null {
    const known = this.#resolved.get(identifier);
    if (known !== undefined) return known;
    const name = identifier.text;
    const bindings = name ? this.lookup(name, this.scopeAt(identifier)) : null;
    this.#resolved.set(identifier, bindings);
    return bindings;
  }

  /**
   * The single binding that gives an identifier its value at that use, when one can be chosen: in the
   * same scope the last binding before the use (straight-line code), from a nested scope the bindings
   * must agree (ignoring `= None` placeholders).
   */
  valueBinding(identifier: PyNode): Binding | null {
    const bindings = this.resolve(identifier);
    if (!bindings || bindings.length === 0) return null;
    const useScope = this.scopeAt(identifier);
    const [first] = bindings;
    if (first && first.scope === useScope) {
      // The last binding that ends before the use (bindings are in source order), else the last one.
      const useStart = identifier.range[0];
      for (let i = bindings.length - 1; i >= 0; i--) {
        const binding = bindings[i] as Binding;
        if (binding.identifier.range[1] <= useStart) return binding;
      }
      return bindings[bindings.length - 1] ?? null;
    }
    const meaningful = bindings.filter((binding) => binding.value?.type !== 'none');
    if (meaningful.length === 1) return meaningful[0] ?? null;
    const names = new Set(meaningful.map((binding) => this.#bindingQualifiedName(binding, 0)));
    return names.size === 1 && !names.has(null) ? (meaningful[0] ?? null) : null;
  }

  /**
   * The qualified name of an expression, or null when it is not known. With a project resolver, names
   * that lead into other modules of the project are followed to what they stand for there.
   */
  qualifiedName(node: PyNode | null | undefined): string | null {
    if (!node) return null;
    if (!this.resolver) return this.#qualifiedName(node, 0);
    const known = this.#canonicalNames.get(node);
    if (known !== undefined) return known;
    const local = this.#qualifiedName(node, 0);
    const name = local === null ? null : this.resolver.canonical(local);
    this.#canonicalNames.set(node, name);
    return name;
  }

  /** The qualified name as this module alone tells it (imports not followed into the project). */
  localQualifiedName(node: PyNode | null | undefined): string | null {
    return node ? this.#qualifiedName(node, 0) : null;
  }

  /**
   * Whether a name says nothing about which library object a value is: unknown, an unresolved global
   * (`builtins.x`), or something the project defines that its definitions do not reduce to a library's
   * (an instance of a project class, the result of a project function). Heuristics that accept an
   * unknown receiver (`x.start_as_current_span(...)`) treat all three alike.
   */
  isUnknownValue(name: string | null): boolean {
    if (name === null || name.startsWith('builtins.')) return true;
    const own = this.identity?.name;
    if (own !== undefined && (name === own || name.startsWith(`${own}.`))) return true;
    return this.resolver?.isProjectName(name) ?? false;
  }

  /**
   * A function's name within its module, as Python's `__qualname__`: `fetch`, `Client.fetch`,
   * `outer.<locals>.inner`; null for a lambda.
   */
  qualnameOf(fn: FunctionLike | ClassDefinition): string | null {
    if (fn.type === 'lambda' || !fn.name?.text) return null;
    const parts: string[] = [fn.name.text];
    let child: PyNode = fn;
    for (let node = fn.parent; node; child = node, node = node.parent) {
      if (node.type === 'function_definition' && child === node.body) {
        if (!node.name?.text) return null;
        parts.unshift(node.name.text, '<locals>');
      } else if (node.type === 'class_definition' && child === node.body) {
        if (!node.name?.text) return null;
        parts.unshift(node.name.text);
      } else if (node.type === 'lambda' && child === node.body) {
        return null;
      }
    }
    return parts.join('.');
  }

  /** An import's dotted name with a relative import made absolute (`.ledger.post` in `shop/__init__.py` → `shop.ledger.post`). */
  absoluteImportName(importedName: string): string {
    if (!importedName.startsWith('.') || !this.identity) return importedName;
    let level = 0;
    while (importedName.charAt(level) === '.') level++;
    const packageParts = this.identity.name.split('.');
    // A module's package is its parent; a package's `__init__` is its own package.
    if (!this.identity.isPackage) packageParts.pop();
    const up = level - 1;
    // Above the top-level package Python raises ImportError: the name stays relative (and resolves to nothing).
    if (up >= packageParts.length) return importedName;
    const base = packageParts.slice(0, packageParts.length - up);
    const rest = importedName.slice(level);
    return rest ? `${base.join('.')}.${rest}` : base.join('.');
  }

  /** The qualified name of what a call calls (`time.sleep` for `time.sleep(1)`). */
  calleeName(call: Call): string | null {
    return this.qualifiedName(call.function);
  }

  /** The `def` that a name refers to at this use (a module function, or a method via `self.name`). */
  resolveFunction(node: PyNode | null | undefined): FunctionDefinition | null {
    if (!node) return null;
    if (node.type === 'identifier') {
      const binding = this.valueBinding(node);
      return binding?.definition?.type === 'function_definition' ? binding.definition : null;
    }
    if (node.type === 'attribute' && node.object?.type === 'identifier' && node.attribute?.text) {
      const cls = this.#classOfSelf(node.object);
      if (!cls) return null;
      const method = this.#scopeOf.get(cls)?.bindings.get(node.attribute.text)?.find((binding) => binding.kind === 'function');
      return method?.definition?.type === 'function_definition' ? method.definition : null;
    }
    return null;
  }

  /** The `def` or `lambda` whose body runs `node` (null at module level). Class bodies run in their definer. */
  functionOf(node: PyNode): FunctionLike | null {
    let child: PyNode = node;
    for (let current = node.parent; current; child = current, current = current.parent) {
      if ((current.type === 'function_definition' || current.type === 'lambda') && child === current.body) return current;
    }
    return null;
  }

  /** True when `node` runs as part of an `async def` body, not later inside a nested `def` or `lambda`. */
  isInAsyncFunction(node: PyNode): boolean {
    const fn = this.functionOf(node);
    return fn?.type === 'function_definition' && fn.async === true;
  }

  facts(fn: FunctionLike): FunctionFacts {
    let facts = this.#facts.get(fn);
    if (!facts) {
      const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : null;
      const decorators = decorated ? decorated.children.filter((child): child is Decorator => child.type === 'decorator') : [];
      const definer = (decorated ?? fn).parent?.parent;
      facts = {
        name: fn.type === 'function_definition' ? (fn.name?.text ?? null) : null,
        isAsync: fn.type === 'function_definition' && fn.async === true,
        isGenerator: fn.type === 'function_definition' && this.#generators().has(fn),
        decorators,
        enclosingClass: definer?.type === 'class_definition' ? definer : null,
      };
      this.#facts.set(fn, facts);
    }
    return facts;
  }

  /**
   * The functions whose own body yields, found from the module's `yield`s upwards: walking every
   * function's body down (what {@link ownBodyYields} does for one function) visited most of the tree.
   */
  #generators(): ReadonlySet<FunctionDefinition> {
    if (this.#generatorFunctions) return this.#generatorFunctions;
    const generators = new Set<FunctionDefinition>();
    for (const yieldNode of this.nodesOfType('yield')) {
      const owner = yieldOwner(yieldNode);
      if (owner) generators.add(owner);
    }
    this.#generatorFunctions = generators;
    return generators;
  }

  /** The local name under which a module is imported at module level (`asyncio`, or `aio` for `import asyncio as aio`). */
  moduleAlias(moduleName: string): string | null {
    for (const [name, bindings] of this.root.bindings) {
      if (bindings.length === 1 && bindings[0]?.kind === 'import' && bindings[0].importedName === moduleName) return name;
    }
    return null;
  }

  #qualifiedName(node: PyNode, depth: number): string | null {
    if (depth > MAX_RESOLUTION_DEPTH) return null;
    // One lookup: a name is a string or null, so undefined means "not computed yet".
    const known = this.#qualifiedNames.get(node);
    if (known !== undefined) return known;
    // Guard against cycles such as `x = x.child`.
    this.#qualifiedNames.set(node, null);
    const name = this.#computeQualifiedName(node, depth);
    this.#qualifiedNames.set(node, name);
    return name;
  }

  #computeQualifiedName(node: PyNode, depth: number): string | null {
    switch (node.type) {
      case 'identifier': {
        const bindings = this.resolve(node);
        if (!bindings) return node.text ? `builtins.${node.text}` : null;
        const binding = this.valueBinding(node);
        return binding ? this.#bindingQualifiedName(binding, depth + 1) : null;
      }
      case 'attribute': {
        const attribute = node.attribute?.text;
        if (!attribute || !node.object) return null;
        const selfValue = this.#selfAttributeName(node, depth);
        if (selfValue !== undefined) return selfValue;
        const base = this.#qualifiedName(node.object, depth + 1);
        return base ? `${base}.${attribute}` : null;
      }
      case 'call': {
        const base = node.function ? this.#qualifiedName(node.function, depth + 1) : null;
        return base ? `${base}()` : null;
      }
      case 'await':
      case 'parenthesized_expression': {
        const inner = node.children[0];
        return inner ? this.#qualifiedName(inner, depth + 1) : null;
      }
      default:
        return null;
    }
  }

  #bindingQualifiedName(binding: Binding, depth: number): string | null {
    switch (binding.kind) {
      case 'import':
        return binding.importedName === undefined ? null : this.absoluteImportName(binding.importedName);
      case 'function':
      case 'class': {
        // The module's own defs are named as importers see them (`shop.pricing.fetch_price`).
        const own = this.identity?.name;
        return own !== undefined && binding.scope === this.root ? `${own}.${binding.name}` : null;
      }
      case 'parameter': {
        const instance = this.#selfInstanceName(binding);
        if (instance !== undefined) return instance;
        // An annotated parameter holds an instance of its annotation.
        const annotation = binding.annotation ? this.#qualifiedName(binding.annotation, depth + 1) : null;
        return annotation ? `${annotation}()` : null;
      }
      default:
        return binding.value ? this.#qualifiedName(binding.value, depth + 1) : null;
    }
  }

  /**
   * `self.<attr>` inside a method: the value assigned to `self.<attr>` in the class's methods, when all
   * such assignments agree. Returns undefined when `node` is not a `self` attribute.
   */
  #selfAttributeName(node: Extract<PyNode, { type: 'attribute' }>, depth: number): string | null | undefined {
    if (node.object?.type !== 'identifier' || !node.attribute?.text) return undefined;
    const cls = this.#classOfSelf(node.object);
    if (!cls) return undefined;
    const values = this.#selfAttributesOf(cls).get(node.attribute.text);
    if (!values) return undefined;
    const names = new Set(values.filter((value) => value.type !== 'none').map((value) => this.#qualifiedName(value, depth + 1)));
    return names.size === 1 ? ([...names][0] ?? null) : null;
  }

  /**
   * `self` of a method of a module-level class is an instance of that class (`shop.Client()`), `cls` of a
   * classmethod the class itself; undefined when the parameter is neither.
   */
  #selfInstanceName(binding: Binding): string | null | undefined {
    const own = this.identity?.name;
    if (own === undefined) return undefined;
    const cls = this.#classOfSelf(binding.identifier);
    if (!cls?.name?.text || (cls.parent?.type === 'decorated_definition' ? cls.parent.parent : cls.parent)?.type !== 'module') return undefined;
    const fn = binding.scope.node;
    const isClassMethod = fn.type === 'function_definition' && this.facts(fn).decorators.some((decorator) => decorator.children[0]?.text === 'classmethod');
    return isClassMethod ? `${own}.${cls.name.text}` : `${own}.${cls.name.text}()`;
  }

  /** The class when `identifier` is the first parameter (`self`) of a method of that class. */
  #classOfSelf(identifier: PyNode): ClassDefinition | null {
    const binding = this.resolve(identifier)?.[0];
    if (binding?.kind !== 'parameter') return null;
    const fn = binding.scope.node;
    if (fn.type !== 'function_definition') return null;
    const firstParameter = fn.parameters?.children[0];
    if (firstParameter !== binding.identifier) return null;
    const cls = this.facts(fn).enclosingClass;
    const isStatic = this.facts(fn).decorators.some((decorator) => decorator.children[0]?.text === 'staticmethod');
    return isStatic ? null : cls;
  }

  #selfAttributesOf(cls: ClassDefinition): Map<string, PyNode[]> {
    let attributes = this.#selfAttributes.get(cls);
    if (attributes) return attributes;
    attributes = new Map();
    const classScope = this.#scopeOf.get(cls);
    for (const method of classScope?.children ?? []) {
      if (method.node.type !== 'function_definition') continue;
      const selfName = method.node.parameters?.children[0]?.text;
      if (!selfName || !method.node.body) continue;
      collectSelfAssignments(method.node.body, selfName, attributes);
    }
    this.#selfAttributes.set(cls, attributes);
    return attributes;
  }
}

function collectSelfAssignments(root: PyNode, selfName: string, into: Map<string, PyNode[]>): void {
  const pending: PyNode[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') continue;
    if (node.type === 'assignment') {
      const left = node.left;
      let value = node.right;
      while (value?.type === 'assignment') value = value.right;
      if (left?.type === 'attribute' && left.object?.text === selfName && left.attribute?.text && value) {
        const list = into.get(left.attribute.text) ?? [];
        list.push(value);
        into.set(left.attribute.text, list);
      }
    }
    if (node.type === 'with_item' && node.value?.type === 'as_pattern') {
      const target = node.value.alias?.children[0];
      const value = node.value.children[0];
      if (target?.type === 'attribute' && target.object?.text === selfName && target.attribute?.text && value) {
        const list = into.get(target.attribute.text) ?? [];
        list.push(value);
        into.set(target.attribute.text, list);
      }
    }
    for (const child of childrenInSourceOrder(node)) pending.push(child);
  }
}

/**
 * The function a `yield` makes a generator: the nearest enclosing function whose body holds it. Default
 * values, annotations and decorators of a nested `def` (or a lambda's defaults, a class's bases) run in
 * the enclosing scope, so a `yield` there belongs further out; one in a lambda body, a class body or a
 * generator expression belongs to no `def`.
 */
export function yieldOwner(yieldNode: PyNode): FunctionDefinition | null {
  let child: PyNode = yieldNode;
  for (let node = yieldNode.parent; node; child = node, node = node.parent) {
    switch (node.type) {
      case 'function_definition':
        if (child === node.body) return node;
        break;
      case 'lambda':
      case 'class_definition':
        if (child === node.body) return null;
        break;
      case 'generator_expression':
        return null;
      default:
        break;
    }
  }
  return null;
}

/** Whether a function's own body contains `yield` (see {@link yieldOwner}: nested functions' bodies do not count). */
export function ownBodyYields(fn: FunctionDefinition): boolean {
  if (!fn.body) return false;
  const pending: PyNode[] = [fn.body];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'yield' && yieldOwner(node) === fn) return true;
    for (const child of childrenInSourceOrder(node)) pending.push(child);
  }
  return false;
}

/** The index of the first identifier in `sorted` (source order) that starts at or after `offset`. */
function firstStartingAtOrAfter(sorted: readonly Identifier[], offset: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as Identifier).range[0] < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}
