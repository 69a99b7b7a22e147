import type { Call, ExpressionStatement, Identifier, ImportFromStatement, PyNode } from '../language/generated/node-types.js';
import type { PythonSourceCode } from '../language/python-source-code.js';
import { callerChainText, type SemanticModel } from '../semantic/index.js';
import { freeName, importedNameAt, isNameFree, moduleBindingAt } from '../semantic/names.js';
import { isTaskFactory } from '../semantic/tasks.js';
import { bindingUses } from '../semantic/uses.js';
import { getProjectModel } from '../project/index.js';
import { createPythonRule } from '../util/create-rule.js';
import { indentLinesDeeper, indentUnitOf, insertModuleStatements, lineEndingOf, lineStartAt, type TextEdit } from '../util/python-edits.js';

type MessageIds = 'untracked' | 'untrackedInSpan' | 'untrackedInCallerSpan' | 'keepReference' | 'awaitTask' | 'ownRootTrace';

/** The name a new module-level registry of running tasks gets (the guide calls its own `_background`). */
const REGISTRY_NAME = '_background_tasks';

/**
 * Where the dropped task sits. `value` is the task expression with any parentheses around it;
 * `statement` is the simple statement the suggestions rewrite (null when the shape is too unusual to
 * rewrite safely: the problem is still reported).
 */
type DroppedTask =
  | { readonly kind: 'statement'; readonly value: PyNode; readonly statement: ExpressionStatement | null }
  | { readonly kind: 'underscore' | 'unusedName'; readonly value: PyNode; readonly statement: ExpressionStatement; readonly target: Identifier }
  | { readonly kind: 'chained'; readonly value: PyNode; readonly statement: ExpressionStatement | null };

/** The statement's place on its line(s). */
interface StatementLayout {
  /** Only whitespace before it and only whitespace or a comment after it. */
  readonly ownsLine: boolean;
  readonly indent: string;
  /** Offset of the end of its last line (before the line break). */
  readonly lineEnd: number;
  /** What follows the statement on its last line (whitespace, comment). */
  readonly rest: string;
}

/** A piece of the new code: `prefix` then the original text from `from` to `to`. */
interface TextPiece {
  readonly prefix: string;
  readonly from: number;
  readonly to: number;
}

interface Registry {
  readonly name: string;
  /** The definition to add at module level; null when the module already has one. */
  readonly definition: string | null;
  readonly imports: readonly string[];
  readonly edits: readonly TextEdit[];
  /** The module-level statement the definition must follow (the import it uses). */
  readonly notBefore: PyNode | null;
}

interface OtelContextNames {
  readonly attach: string;
  readonly detach: string;
  readonly emptyContext: string;
  readonly imports: readonly string[];
}

export default createPythonRule<MessageIds>({
  name: 'no-untracked-task',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow creating an asyncio Task without keeping a reference to it',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      untracked:
        'The task from `{{call}}` is not kept anywhere: the event loop holds only a weak reference to it, so it can be garbage-collected before it finishes, losing its spans.',
      untrackedInSpan:
        'The task from `{{call}}` is not kept anywhere: the event loop holds only a weak reference to it, so it can be garbage-collected before it finishes, losing its spans. It is created inside span "{{span}}" and not awaited there, so its spans will outlive their parent "{{span}}".',
      untrackedInCallerSpan:
        'The task from `{{call}}` is not kept anywhere: the event loop holds only a weak reference to it, so it can be garbage-collected before it finishes, losing its spans. It is created while span "{{span}}" is open (via {{chain}}) and not awaited there, so its spans will outlive their parent "{{span}}".',
      keepReference: 'Keep a reference in the module-level set `{{registry}}` until the task is done.',
      awaitTask: 'Await the task here.',
      ownRootTrace:
        'Start the task from an empty OpenTelemetry `Context()` so its spans form their own trace, and keep a reference in `{{registry}}`.',
    },
  },
  create(context) {
    const sourceCode = context.sourceCode;
    const model = getProjectModel(context);
    let registryNames: string[] | undefined;
    const existingRegistries = (): string[] => (registryNames ??= findRegistries(model));

    return {
      call(call) {
        if (!isTaskFactory(model, call) || wrapsExistingFuture(model, call)) return;
        const dropped = droppedTask(model, call);
        if (!dropped) return;

        const callee = call.function ? model.textOf(call.function) : 'create_task';
        const span = openSpan(model, call);
        const messageId: MessageIds = span ? (span.chain ? 'untrackedInCallerSpan' : 'untrackedInSpan') : 'untracked';
        const data: Record<string, string> = { call: `${callee}(...)` };
        if (span) data.span = span.name;
        if (span?.chain) data.chain = span.chain;

        const rewriter = new TaskRewriter(sourceCode, model, call, dropped, existingRegistries);
        const suggestions: { messageId: MessageIds; data?: Record<string, string>; edits: readonly TextEdit[] }[] = [];
        const keep = rewriter.keepReference();
        if (keep) suggestions.push({ messageId: 'keepReference', data: { registry: keep.registry }, edits: keep.edits });
        const awaited = rewriter.awaitHere();
        if (awaited) suggestions.push({ messageId: 'awaitTask', edits: awaited });
        if (span) {
          const rooted = rewriter.ownRootTrace();
          if (rooted) suggestions.push({ messageId: 'ownRootTrace', data: { registry: rooted.registry }, edits: rooted.edits });
        }

        context.report({
          node: call,
          messageId,
          data,
          suggest: suggestions.map((suggestion) => ({
            messageId: suggestion.messageId,
            ...(suggestion.data ? { data: suggestion.data } : {}),
            fix: (fixer) => suggestion.edits.map((edit) => fixer.replaceTextRange([edit.range[0], edit.range[1]], edit.text)),
          })),
        });
      },
    };
  },
});

/**
 * `ensure_future(x)` returns `x` itself when it is already a Future or Task, which whoever made it may
 * hold (`ensure_future(self._future)`). Only a coroutine made right there (a call, or a local name bound
 * to a call) is known to become a new Task that nothing else references.
 */
function wrapsExistingFuture(model: SemanticModel, call: Call): boolean {
  if (!model.calleeName(call)?.endsWith('.ensure_future')) return false;
  const argument = call.arguments?.type === 'argument_list' ? call.arguments.children[0] : undefined;
  let value: PyNode | undefined = argument;
  while (value?.type === 'parenthesized_expression') value = value.children[0];
  if (value?.type === 'call' || value?.type === 'await') return false;
  if (value?.type === 'identifier') return model.valueBinding(value)?.value?.type !== 'call';
  return true;
}

/** The expression with every pair of parentheses around it. */
function withParentheses(node: PyNode): PyNode {
  let current = node;
  while (current.parent?.type === 'parenthesized_expression') current = current.parent;
  return current;
}

/**
 * How the task's only reference is dropped, or null when something keeps it (awaited, returned,
 * stored, passed to a call, bound to a name that is read).
 */
function droppedTask(model: SemanticModel, call: Call): DroppedTask | null {
  const value = withParentheses(call);
  const parent = value.parent;
  if (parent?.type === 'expression_statement') {
    // `create_task(a), create_task(b)` drops both, but rewriting the statement would bind a tuple.
    return { kind: 'statement', value, statement: parent.children.length === 1 ? parent : null };
  }
  if (parent?.type === 'assignment' && parent.right === value && parent.left?.type === 'identifier' && parent.parent?.type === 'expression_statement') {
    const target = parent.left;
    if (target.text === '_') return { kind: 'underscore', value, statement: parent.parent, target };
    if (isUnreadLocal(model, target)) return { kind: 'unusedName', value, statement: parent.parent, target };
    return null;
  }
  if (parent?.type === 'attribute' && parent.object === value && parent.parent?.type === 'call' && parent.parent.function === parent) {
    // A method called on the task (`create_task(x).add_done_callback(cb)`): no Task method returns the task.
    const chainedValue = withParentheses(parent.parent);
    const holder = chainedValue.parent;
    let statement: ExpressionStatement | null = null;
    if (holder?.type === 'expression_statement' && holder.children.length === 1) statement = holder;
    else if (holder?.type === 'assignment' && holder.right === chainedValue && holder.parent?.type === 'expression_statement') statement = holder.parent;
    return { kind: 'chained', value, statement };
  }
  return null;
}

/**
 * A function's local name that nothing reads: the task goes away when the function returns. Reads of
 * the name's other bindings count too, so a loop that reads the previous iteration's task
 * (`if task: task.cancel()` before `task = create_task(...)`) keeps it.
 */
function isUnreadLocal(model: SemanticModel, target: Identifier): boolean {
  const scope = model.scopeAt(target);
  const name = target.text;
  if (scope.kind !== 'function' || !name || scope.globals.has(name) || scope.nonlocals.has(name)) return false;
  return (scope.bindings.get(name) ?? []).every((binding) => {
    const uses = bindingUses(model, binding);
    return uses.reads.length === 0 && uses.nestedReads.length === 0;
  });
}

/**
 * The span that becomes the task's parent: the innermost current span around the call, else one a
 * caller in this module holds open while calling the function that creates the task.
 */
function openSpan(model: SemanticModel, call: Call): { name: string; chain: string | null } | null {
  const open = model.spans.openSpanAt(call, { current: true });
  if (!open) return null;
  return { name: model.spans.label(open.span), chain: open.callers ? callerChainText(open.callers) : null };
}

/**
 * Module-level sets already used to hold tasks: a `set()` whose `.discard` is passed to
 * `add_done_callback`, then any `set()` named like the one we would add.
 */
function findRegistries(model: SemanticModel): string[] {
  const sets = new Set<string>();
  for (const [name, bindings] of model.root.bindings) {
    const [binding] = bindings;
    if (bindings.length !== 1 || binding?.kind !== 'assignment' || binding.value?.type !== 'call') continue;
    const args = binding.value.arguments;
    if (model.calleeName(binding.value) === 'builtins.set' && args?.type === 'argument_list' && args.children.length === 0) sets.add(name);
  }
  const used: string[] = [];
  if (sets.size === 0) return used;
  for (const node of model.nodesOfType('call')) {
    if (node.function?.type === 'attribute' && node.function.attribute?.text === 'add_done_callback') {
      const [argument] = node.arguments?.type === 'argument_list' ? node.arguments.children : [];
      const name = argument?.type === 'attribute' && argument.attribute?.text === 'discard' && argument.object?.type === 'identifier' ? argument.object.text : undefined;
      if (name && sets.has(name) && !used.includes(name)) used.push(name);
    }
  }
  if (sets.has(REGISTRY_NAME) && !used.includes(REGISTRY_NAME)) used.push(REGISTRY_NAME);
  return used;
}

/** Builds the rewrites the suggestions offer for one dropped task. */
class TaskRewriter {
  readonly #text: string;
  readonly #eol: string;
  readonly #unit: string;
  readonly #layout: StatementLayout | null;
  /** The name the task is bound to in the rewrite. */
  readonly #taskName: string;

  constructor(
    private readonly sourceCode: PythonSourceCode,
    private readonly model: SemanticModel,
    private readonly call: Call,
    private readonly dropped: DroppedTask,
    private readonly existingRegistries: () => string[],
  ) {
    this.#text = sourceCode.text;
    this.#eol = lineEndingOf(this.#text);
    this.#unit = indentUnitOf(this.#text);
    const statement = dropped.statement;
    this.#layout = statement && (statement.parent?.type === 'block' || statement.parent?.type === 'module') ? this.#layoutOf(statement) : null;
    this.#taskName = dropped.kind === 'unusedName' ? (dropped.target.text ?? 'task') : freeName(model, 'task', call);
  }

  /** (a) Bind the task, add it to the module's registry, and discard it from there when it is done. */
  keepReference(): { registry: string; edits: TextEdit[] } | null {
    const layout = this.#layout;
    const statement = this.dropped.statement;
    const registry = this.#registry();
    if (!layout || !statement || !registry) return null;
    const creation = this.#creation(statement);
    const lines = [...this.#registryLines(registry.name), ...this.#followUp(statement)];
    const edit: TextEdit = layout.ownsLine
      ? {
          range: [statement.range[0], layout.lineEnd],
          text: this.#render(creation, false) + layout.rest + lines.map((line) => `${this.#eol}${layout.indent}${line}`).join(''),
        }
      : { range: [statement.range[0], statement.range[1]], text: [this.#render(creation, false), ...lines].join('; ') };
    return { registry: registry.name, edits: this.#withModuleEdits(edit, registry, null) };
  }

  /** (b) `await` the task where it is created (only inside an `async def`). */
  awaitHere(): TextEdit[] | null {
    if (!this.model.isInAsyncFunction(this.call)) return null;
    if (this.dropped.kind !== 'chained') return [{ range: [this.call.range[0], this.call.range[0]], text: 'await ' }];
    const layout = this.#layout;
    const statement = this.dropped.statement;
    if (!layout || !statement) return null;
    const lines = [...this.#followUp(statement), `await ${this.#taskName}`];
    const creation = this.#render(this.#creation(statement), false);
    if (layout.ownsLine) {
      return [
        {
          range: [statement.range[0], layout.lineEnd],
          text: creation + layout.rest + lines.map((line) => `${this.#eol}${layout.indent}${line}`).join(''),
        },
      ];
    }
    return [{ range: [statement.range[0], statement.range[1]], text: [creation, ...lines].join('; ') }];
  }

  /**
   * (c) Create the task while an empty OpenTelemetry Context is current, so the task's copy of the
   * contextvars context has no active span and its first span is a root; keep a reference as in (a).
   */
  ownRootTrace(): { registry: string; edits: TextEdit[] } | null {
    const layout = this.#layout;
    const statement = this.dropped.statement;
    const registry = this.#registry();
    if (!layout?.ownsLine || !statement || !registry) return null;
    const otel = this.#otelContextNames();
    const token = freeName(this.model, 'token', this.call);
    const { indent } = layout;
    const inner = indent + this.#unit;
    const eol = this.#eol;
    const lines = [
      `${indent}${token} = ${otel.attach}(${otel.emptyContext})`,
      `${indent}try:`,
      `${inner}${this.#render(this.#creation(statement), true)}${layout.rest}`,
      `${indent}finally:`,
      `${inner}${otel.detach}(${token})`,
      ...[...this.#registryLines(registry.name), ...this.#followUp(statement)].map((line) => `${indent}${line}`),
    ];
    const start = lineStartAt(this.sourceCode, statement.range[0]);
    const edit: TextEdit = { range: [start, layout.lineEnd], text: lines.join(eol) };
    return { registry: registry.name, edits: this.#withModuleEdits(edit, registry, otel) };
  }

  /** The statement that binds the task: `task = <call>`, or the user's own binding. */
  #creation(statement: ExpressionStatement): TextPiece {
    const { dropped } = this;
    switch (dropped.kind) {
      case 'unusedName':
        return { prefix: '', from: statement.range[0], to: statement.range[1] };
      case 'underscore':
        return { prefix: this.#taskName, from: dropped.target.range[1], to: statement.range[1] };
      default:
        return { prefix: `${this.#taskName} = `, from: dropped.value.range[0], to: dropped.value.range[1] };
    }
  }

  /** For a chained call: the statement again, with the task expression replaced by the task's name. */
  #followUp(statement: ExpressionStatement): string[] {
    if (this.dropped.kind !== 'chained') return [];
    const { value } = this.dropped;
    return [this.#text.slice(statement.range[0], value.range[0]) + this.#taskName + this.#text.slice(value.range[1], statement.range[1])];
  }

  #registryLines(registry: string): string[] {
    return [`${registry}.add(${this.#taskName})`, `${this.#taskName}.add_done_callback(${registry}.discard)`];
  }

  /**
   * A piece's text, with its continuation lines one level deeper when it moves into a `try:` block
   * (lines inside a multi-line string stay as they are). Continuation lines are inside brackets, so
   * the extra indentation only keeps the layout readable.
   */
  #render(piece: TextPiece, deeper: boolean): string {
    const original = this.#text.slice(piece.from, piece.to);
    if (!deeper || !/[\r\n]/u.test(original)) return piece.prefix + original;
    const lineStart = lineStartAt(this.sourceCode, piece.from);
    // indentLinesDeeper starts at the beginning of the piece's first line and indents it too: drop that part.
    return piece.prefix + indentLinesDeeper(this.sourceCode, piece.from, piece.to).slice(this.#unit.length + piece.from - lineStart);
  }

  #layoutOf(statement: ExpressionStatement): StatementLayout {
    const start = lineStartAt(this.sourceCode, statement.range[0]);
    const before = this.#text.slice(start, statement.range[0]);
    const breakMatch = /\r\n|\r|\n/u.exec(this.#text.slice(statement.range[1]));
    const lineEnd = breakMatch ? statement.range[1] + breakMatch.index : this.#text.length;
    const rest = this.#text.slice(statement.range[1], lineEnd);
    return {
      ownsLine: /^[ \t]*$/u.test(before) && /^[ \t]*(?:#.*)?$/u.test(rest),
      indent: before,
      lineEnd,
      rest,
    };
  }

  /** The module-level set that holds running tasks: an existing one, else a new one. */
  #registry(): Registry | null {
    const moduleLevelCall = this.model.functionOf(this.call) === null;
    for (const name of this.existingRegistries()) {
      const binding = moduleBindingAt(this.model, name, this.call);
      // Code at module level runs top to bottom: the set must be defined before the call.
      if (binding && (!moduleLevelCall || binding.identifier.range[1] <= this.call.range[0])) {
        return { name, definition: null, imports: [], edits: [], notBefore: null };
      }
    }
    const name = freeName(this.model, REGISTRY_NAME, this.call);
    if (!isNameFree(this.model, name, this.model.module)) return null;
    const taskType = this.#taskTypeAnnotation();
    const annotation = taskType ? `: set[${taskType.name}]` : '';
    const registry: Registry = {
      name,
      definition: `${name}${annotation} = set()`,
      imports: taskType?.imports ?? [],
      edits: taskType?.edits ?? [],
      notBefore: taskType?.notBefore ?? null,
    };
    if (moduleLevelCall) {
      const header = insertModuleStatements(this.sourceCode, registry.imports, [registry.definition ?? ''], registry.notBefore);
      if (header && header.range[0] > this.call.range[0]) return null;
    }
    return registry;
  }

  /**
   * How module-level code names `asyncio.Task`, in the module's own import style: `asyncio.Task` /
   * `aio.Task` for a module import, `Task` for `from asyncio import ...` (added to that import when
   * missing), else a new `import asyncio`. Null when no name can be written safely.
   */
  #taskTypeAnnotation(): { name: string; imports: string[]; edits: TextEdit[]; notBefore: PyNode | null } | null {
    const { model } = this;
    const atModule = model.module;
    const alias = importedNameAt(model, 'asyncio', atModule);
    if (alias) return { name: `${alias}.Task`, imports: [], edits: [], notBefore: model.root.bindings.get(alias)?.[0]?.identifier ?? null };
    const taskClass = importedNameAt(model, 'asyncio.Task', atModule) ?? importedNameAt(model, 'asyncio.tasks.Task', atModule);
    if (taskClass) return { name: taskClass, imports: [], edits: [], notBefore: model.root.bindings.get(taskClass)?.[0]?.identifier ?? null };
    const fromImport = moduleFromImport(model, 'asyncio');
    const lastName = fromImport?.name[fromImport.name.length - 1];
    if (fromImport && lastName && isNameFree(model, 'Task', atModule)) {
      return { name: 'Task', imports: [], edits: [{ range: [lastName.range[1], lastName.range[1]], text: ', Task' }], notBefore: fromImport };
    }
    if (isNameFree(model, 'asyncio', atModule)) return { name: 'asyncio.Task', imports: ['import asyncio'], edits: [], notBefore: null };
    return null;
  }

  /**
   * Names for `attach`, `detach` and an empty `Context()` at the call, in the module's import style;
   * adds `from opentelemetry import context` (aliased when `context` is taken) when nothing fits.
   */
  #otelContextNames(): OtelContextNames {
    const { model, call } = this;
    let moduleName = importedNameAt(model, 'opentelemetry.context', call);
    const imports: string[] = [];
    const attachName = moduleName ? `${moduleName}.attach` : importedNameAt(model, 'opentelemetry.context.attach', call);
    const detachName = moduleName ? `${moduleName}.detach` : importedNameAt(model, 'opentelemetry.context.detach', call);
    const contextClass = importedNameAt(model, 'opentelemetry.context.Context', call);
    if (attachName && detachName && (contextClass ?? moduleName)) {
      return { attach: attachName, detach: detachName, emptyContext: `${contextClass ?? `${moduleName ?? ''}.Context`}()`, imports };
    }
    moduleName = isNameFree(model, 'context', call) && isNameFree(model, 'context', model.module) ? 'context' : freeName(model, 'otel_context', call);
    imports.push(moduleName === 'context' ? 'from opentelemetry import context' : `from opentelemetry import context as ${moduleName}`);
    return { attach: `${moduleName}.attach`, detach: `${moduleName}.detach`, emptyContext: `${contextClass ?? `${moduleName}.Context`}()`, imports };
  }

  /** The statement edit plus what the module needs: the registry definition and imports. */
  #withModuleEdits(edit: TextEdit, registry: Registry, otel: OtelContextNames | null): TextEdit[] {
    const imports = [...registry.imports, ...(otel?.imports ?? [])];
    const definitions = registry.definition ? [registry.definition] : [];
    const header = insertModuleStatements(this.sourceCode, imports, definitions, registry.notBefore);
    return mergeEdits([...registry.edits, ...(header ? [header] : []), edit]);
  }
}

/** The first module-level `from <module> import a, b` (no wildcard). */
function moduleFromImport(model: SemanticModel, module: string): ImportFromStatement | null {
  for (const statement of model.module.children) {
    if (statement.type !== 'import_from_statement' || statement.children.length > 0) continue;
    if (statement.module_name && model.textOf(statement.module_name) === module && statement.name.length > 0) return statement;
  }
  return null;
}

/** Sorts edits and joins insertions at the same offset (in the given order), so ESLint can merge them. */
function mergeEdits(edits: readonly TextEdit[]): TextEdit[] {
  const sorted = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.range[0] - b.edit.range[0] || a.edit.range[1] - b.edit.range[1] || a.index - b.index)
    .map(({ edit }) => edit);
  const merged: TextEdit[] = [];
  for (const edit of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && previous.range[0] === previous.range[1] && previous.range[1] === edit.range[0]) {
      merged[merged.length - 1] = { range: [previous.range[0], edit.range[1]], text: previous.text + edit.text };
    } else {
      merged.push(edit);
    }
  }
  return merged;
}
