import type {
  AsPattern,
  ClassDefinition,
  FunctionDefinition,
  ImportFromStatement,
  ImportStatement,
  Lambda,
  Module,
  PyNode,
} from '../language/generated/node-types.js';
import { nodeIndexOf } from '../language/node-index.js';

/** Node types that open a new Python scope. */
export type ScopeNode = Module | FunctionDefinition | Lambda | ClassDefinition | ComprehensionNode;
type ComprehensionNode = Extract<
  PyNode,
  { type: 'list_comprehension' | 'set_comprehension' | 'dictionary_comprehension' | 'generator_expression' }
>;

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

export type BindingKind =
  | 'import'
  | 'assignment'
  | 'parameter'
  | 'function'
  | 'class'
  | 'loop'
  | 'with'
  | 'except'
  | 'other';

/** One place that binds a name in a scope. */
export interface Binding {
  readonly name: string;
  readonly kind: BindingKind;
  /** The identifier that is bound. */
  readonly identifier: PyNode;
  readonly scope: Scope;
  /** For imports: the dotted name the binding refers to (`time`, `time.sleep`, `opentelemetry.context`). */
  readonly importedName?: string;
  /**
   * The expression whose value the name takes, when it is the whole value: `x = <value>`,
   * `with <value> as x`, `x := <value>`. Unpacking (`a, b = ...`) has no value.
   */
  readonly value?: PyNode;
  /** For parameters: the annotation's expression (`session: requests.Session`). */
  readonly annotation?: PyNode;
  /** For `function` and `class`: the definition. */
  readonly definition?: FunctionDefinition | ClassDefinition;
}

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  readonly globals = new Set<string>();
  readonly nonlocals = new Set<string>();
  readonly children: Scope[] = [];

  constructor(
    readonly node: ScopeNode,
    readonly parent: Scope | null,
  ) {
    parent?.children.push(this);
  }

  get kind(): 'module' | 'function' | 'class' | 'comprehension' {
    switch (this.node.type) {
      case 'module':
        return 'module';
      case 'class_definition':
        return 'class';
      case 'function_definition':
      case 'lambda':
        return 'function';
      default:
        return 'comprehension';
    }
  }

  add(binding: Omit<Binding, 'scope' | 'name'> & { identifier: PyNode }): void {
    const name = binding.identifier.text;
    if (!name) return;
    // Every binding gets the same properties in the same order (absent ones undefined): the model reads
    // `kind`, `value` and `identifier` of thousands of bindings, and one object shape keeps those reads fast.
    const made: Binding = {
      name,
      kind: binding.kind,
      identifier: binding.identifier,
      scope: this,
      importedName: binding.importedName,
      value: binding.value,
      annotation: binding.annotation,
      definition: binding.definition,
    };
    const list = this.bindings.get(name);
    if (list) list.push(made);
    else this.bindings.set(name, [made]);
  }
}

/** The node types that bind a name or open a scope: the only nodes the scope tree is built from. */
const BINDING_SITE_TYPES = [
  'function_definition',
  'lambda',
  'class_definition',
  ...COMPREHENSIONS,
  'for_in_clause',
  'import_statement',
  'import_from_statement',
  'global_statement',
  'nonlocal_statement',
  'assignment',
  'augmented_assignment',
  'named_expression',
  'for_statement',
  'with_item',
  'except_clause',
];

/**
 * Builds the scope tree of a module. Python rules: a name bound anywhere in a function is local to
 * the whole function (unless declared `global`/`nonlocal`); class bodies do not enclose the functions
 * defined in them; decorators, default values and annotations of a `def` are evaluated in the enclosing
 * scope; a comprehension has its own scope, except that `:=` binds in the enclosing one.
 *
 * Only the binding sites are visited (from the node index the conversion recorded), in source order,
 * each in the scope {@link scopeNodeOf} finds: walking the whole tree for them was several milliseconds
 * on a 10,000-line file, and the sites are a few percent of its nodes.
 */
export function buildScopes(module: Module): { root: Scope; scopeOf: Map<PyNode, Scope> } {
  const builder = new ScopeBuilder(module);
  const index = nodeIndexOf(module);
  const sites: { node: PyNode; start: number; end: number }[] = [];
  for (const type of BINDING_SITE_TYPES) {
    for (const node of index.ofType(type)) {
      const [start, end] = node.range;
      sites.push({ node, start, end });
    }
  }
  // Pre-order: by start, an enclosing node before the nodes it contains.
  sites.sort((a, b) => a.start - b.start || b.end - a.end || depthOf(a.node) - depthOf(b.node));
  for (const { node } of sites) builder.declare(node, builder.scopeOf.get(scopeNodeOf(node)) ?? builder.root);
  return { root: builder.root, scopeOf: builder.scopeOf };
}

function depthOf(node: PyNode): number {
  let depth = 0;
  for (let current = node.parent; current; current = current.parent) depth++;
  return depth;
}

/**
 * The node whose scope a binding site is evaluated in: the nearest function, lambda or class whose
 * body holds it, or comprehension around it, else the module. A `def`'s parameters (defaults,
 * annotations) and return annotation, a lambda's parameters and a class's bases are evaluated outside.
 */
export function scopeNodeOf(node: PyNode): PyNode {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    switch (current.type) {
      case 'function_definition':
      case 'lambda':
      case 'class_definition':
        if (child === current.body) return current;
        break;
      default:
        if (isComprehension(current)) return current;
    }
    if (!current.parent) return current;
  }
  return child;
}

/**
 * Adds what one node binds (or the scope it opens) to the scope tree, given the scope the node is
 * evaluated in. Exported for the tests, which check the site-by-site build against a whole-tree walk.
 */
export class ScopeBuilder {
  readonly root: Scope;
  readonly scopeOf: Map<PyNode, Scope>;

  constructor(module: Module) {
    this.root = new Scope(module, null);
    this.scopeOf = new Map<PyNode, Scope>([[module, this.root]]);
  }

  declare(node: PyNode, scope: Scope): void {
    switch (node.type) {
      case 'function_definition': {
        if (node.name) scope.add({ identifier: node.name, kind: 'function', definition: node });
        const inner = new Scope(node, scope);
        this.scopeOf.set(node, inner);
        bindParameters(node.parameters, inner);
        return;
      }
      case 'lambda': {
        const inner = new Scope(node, scope);
        this.scopeOf.set(node, inner);
        bindParameters(node.parameters, inner);
        return;
      }
      case 'class_definition': {
        if (node.name) scope.add({ identifier: node.name, kind: 'class', definition: node });
        this.scopeOf.set(node, new Scope(node, scope));
        return;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        this.scopeOf.set(node, new Scope(node, scope));
        return;
      case 'for_in_clause':
        bindTargets(node.left, scope, 'loop');
        return;
      case 'import_statement':
      case 'import_from_statement':
        bindImport(node, scope);
        return;
      case 'global_statement':
        for (const child of node.children) if (child.text) scope.globals.add(child.text);
        return;
      case 'nonlocal_statement':
        for (const child of node.children) if (child.text) scope.nonlocals.add(child.text);
        return;
      case 'assignment': {
        const value = assignedValue(node);
        bindTargets(node.left, scope, 'assignment', node.left?.type === 'identifier' ? value : undefined);
        return;
      }
      case 'augmented_assignment':
        bindTargets(node.left, scope, 'assignment');
        return;
      case 'named_expression':
        if (node.name) bindTargets(node.name, nonComprehension(scope), 'assignment', node.value ?? undefined);
        return;
      case 'for_statement':
        bindTargets(node.left, scope, 'loop');
        return;
      case 'with_item': {
        const value = node.value;
        if (value?.type === 'as_pattern') bindAsPattern(value, scope, 'with', bindTargets);
        return;
      }
      case 'except_clause':
        for (const value of node.value) if (value.type === 'as_pattern') bindAsPattern(value, scope, 'except', bindTargets);
        if (node.alias) bindTargets(node.alias, scope, 'except');
        return;
      default:
        return;
    }
  }
}

function nonComprehension(scope: Scope): Scope {
  let current = scope;
  while (current.kind === 'comprehension' && current.parent) current = current.parent;
  return current;
}

function bindTargets(target: PyNode | null, scope: Scope, kind: BindingKind, value?: PyNode): void {
  if (!target) return;
  switch (target.type) {
    case 'identifier':
      scope.add(value ? { identifier: target, kind, value } : { identifier: target, kind });
      return;
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern':
    case 'tuple':
    case 'list':
    case 'expression_list':
    case 'parenthesized_expression':
      for (const child of target.children) bindTargets(child, scope, kind);
      return;
    case 'list_splat_pattern':
    case 'list_splat':
    case 'as_pattern_target':
      for (const child of target.children) bindTargets(child, scope, kind, target.type === 'as_pattern_target' ? value : undefined);
      return;
    default:
      // Attributes and subscripts bind no name.
      return;
  }
}

function bindParameters(parameters: PyNode | null, scope: Scope): void {
  if (!parameters) return;
  for (const parameter of parameters.children) {
    switch (parameter.type) {
      case 'identifier':
        scope.add({ identifier: parameter, kind: 'parameter' });
        break;
      case 'typed_parameter': {
        const identifier = parameter.children.find((child) => child.type === 'identifier');
        const annotation = parameter.annotation?.children[0];
        if (identifier) scope.add(annotation ? { identifier, kind: 'parameter', annotation } : { identifier, kind: 'parameter' });
        for (const child of parameter.children) if (child.type !== 'identifier') bindTargets(child, scope, 'parameter');
        break;
      }
      case 'default_parameter':
      case 'typed_default_parameter': {
        const annotation = parameter.type === 'typed_default_parameter' ? parameter.annotation?.children[0] : undefined;
        if (parameter.name?.type === 'identifier') {
          scope.add(annotation ? { identifier: parameter.name, kind: 'parameter', annotation } : { identifier: parameter.name, kind: 'parameter' });
        }
        break;
      }
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern':
        for (const child of parameter.children) if (child.type === 'identifier') scope.add({ identifier: child, kind: 'parameter' });
        break;
      default:
        break;
    }
  }
}

function bindImport(statement: ImportStatement | ImportFromStatement, scope: Scope): void {
  if (statement.type === 'import_statement') {
    for (const name of statement.name) {
      if (name.type === 'dotted_name') {
        // `import a.b.c` binds `a`, which refers to the package `a`.
        const first = name.children[0];
        if (first?.text) scope.add({ identifier: first, kind: 'import', importedName: first.text });
      } else if (name.type === 'aliased_import' && name.alias && name.name) {
        scope.add({ identifier: name.alias, kind: 'import', importedName: dottedText(name.name) });
      }
    }
    return;
  }
  const moduleName = statement.module_name ? moduleText(statement.module_name) : '';
  // `from . import x` is `.x` (one dot per level, then the path below that package), `from ..a import b` is `..a.b`.
  const prefix = moduleName.endsWith('.') ? moduleName : `${moduleName}.`;
  for (const name of statement.name) {
    if (name.type === 'dotted_name') {
      const last = name.children[name.children.length - 1];
      if (last) scope.add({ identifier: last, kind: 'import', importedName: `${prefix}${dottedText(name)}` });
    } else if (name.type === 'aliased_import' && name.alias && name.name) {
      scope.add({ identifier: name.alias, kind: 'import', importedName: `${prefix}${dottedText(name.name)}` });
    }
  }
}

function bindAsPattern(
  pattern: AsPattern,
  scope: Scope,
  kind: BindingKind,
  bindTargets: (target: PyNode | null, scope: Scope, kind: BindingKind, value?: PyNode) => void,
): void {
  const target = pattern.alias;
  const value = pattern.children[0];
  // `with X as name` binds the context manager's value; only a single name keeps it.
  const single = target?.children.length === 1 && target.children[0]?.type === 'identifier';
  bindTargets(target, scope, kind, single && kind === 'with' ? value : undefined);
}

/** The right-most value of an assignment chain: `a = b = value`. */
export function assignedValue(node: Extract<PyNode, { type: 'assignment' }>): PyNode | undefined {
  let right = node.right;
  while (right?.type === 'assignment') right = right.right;
  return right ?? undefined;
}

export function dottedText(node: PyNode): string {
  if (node.type === 'dotted_name') return node.children.map((child) => child.text ?? '').join('.');
  return node.text ?? '';
}

function moduleText(node: PyNode): string {
  if (node.type === 'relative_import') {
    const prefix = node.children.find((child) => child.type === 'import_prefix')?.text ?? '.';
    const name = node.children.find((child) => child.type === 'dotted_name');
    return `${prefix}${name ? dottedText(name) : ''}`;
  }
  return dottedText(node);
}

export function isComprehension(node: PyNode): node is ComprehensionNode {
  return COMPREHENSIONS.has(node.type);
}
