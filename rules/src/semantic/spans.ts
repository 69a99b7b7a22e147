import type { Block, Call, Decorator, FunctionDefinition, PyNode, WithItem, WithStatement } from '../language/generated/node-types.js';
import { calleeLastName } from './callee.js';
import type { SemanticModel } from './model.js';
import { isTracerName, looksLikeTracerText, SPAN_METHODS, USE_SPAN } from './otel.js';

/** A region of code that runs while a span is open. */
export interface SpanScope {
  readonly kind: 'with' | 'decorator';
  /** The `with_item` or `decorator` that opens the span. */
  readonly node: WithItem | Decorator;
  /** The call that makes (or, for `use_span`, activates) the span. */
  readonly call: Call;
  /** `start_as_current_span`, `start_span` or `use_span`. */
  readonly method: string;
  /** The span's name: a string literal's value, else the first argument's source text, else null. */
  readonly name: string | null;
  /** The name bound by `as`, if any. */
  readonly variable: string | null;
  /** The code that runs inside the span. */
  readonly body: Block | null;
  /** Whether the span becomes the current span (context) for code inside. */
  readonly makesCurrent: boolean;
}

/** A span found by following the callers of an async function inside the module. */
export interface CallerSpan {
  readonly span: SpanScope;
  /** Function names from the caller that opens the span down to the function asked about. */
  readonly chain: readonly string[];
}

/** The span open where some code runs: around it in its function, or held open by a caller around a call to that function. */
export interface OpenSpan {
  readonly span: SpanScope;
  /** For a caller's span: the function names from the caller that opens it down to the function that runs the code; null when the span is around the code itself. */
  readonly callers: readonly string[] | null;
}

/** A caller chain as every message writes it: `handle_order() → fetch_price()` (`module level` for code outside functions). */
export function callerChainText(chain: readonly string[]): string {
  return chain.map((name) => (name === '<module>' ? 'module level' : `${name}()`)).join(' → ');
}

const MAX_CALLER_DEPTH = 6;

export class SpanAnalysis {
  #callSites: Map<FunctionDefinition, Call[]> | undefined;
  readonly #callerSpans = new Map<FunctionDefinition, CallerSpan | null>();

  constructor(
    private readonly model: SemanticModel,
    private readonly text: string,
  ) {}

  /** The span-making call that a `with` item or decorator expression is, if it is one. */
  spanCall(expression: PyNode | null | undefined): { call: Call; method: string; makesCurrent: boolean } | null {
    if (expression?.type !== 'call') return null;
    const callee = expression.function;
    if (callee?.type === 'attribute' && callee.attribute?.text && callee.object) {
      const method = callee.attribute.text;
      const spanMethod = SPAN_METHODS[method];
      if (spanMethod) {
        const receiver = this.model.qualifiedName(callee.object);
        const unresolved = this.model.isUnknownValue(receiver);
        const accepted =
          isTracerName(receiver) ||
          (unresolved && (method === 'start_as_current_span' || looksLikeTracerText(this.#source(callee.object))));
        if (accepted) return { call: expression, method, makesCurrent: spanMethod.makesCurrent };
      }
    }
    if (this.model.qualifiedName(callee) === USE_SPAN) return { call: expression, method: 'use_span', makesCurrent: true };
    return null;
  }

  /** The span a `with` item opens, if any. */
  spanOfWithItem(item: WithItem): SpanScope | null {
    const value = item.value;
    const expression = value?.type === 'as_pattern' ? value.children[0] : value;
    const found = this.spanCall(expression);
    if (!found) return null;
    const target = value?.type === 'as_pattern' ? value.alias?.children[0] : undefined;
    const statement = item.parent?.parent;
    return {
      kind: 'with',
      node: item,
      ...found,
      name: this.#spanName(found.call, found.method),
      variable: target?.type === 'identifier' ? (target.text ?? null) : null,
      body: statement?.type === 'with_statement' ? statement.body : null,
    };
  }

  /**
   * The span a decorator opens around its function's body: `@tracer.start_as_current_span("name")`.
   * Measured (OTel Python SDK): on a generator function the span covers only the creation of the
   * generator object, so the body is not inside it; this returns null there.
   */
  spanOfDecorator(decorator: Decorator): SpanScope | null {
    const found = this.spanCall(decorator.children[0]);
    if (found?.method !== 'start_as_current_span') return null;
    const fn = decorator.parent?.type === 'decorated_definition' ? decorator.parent.definition : null;
    if (fn?.type !== 'function_definition' || this.model.facts(fn).isGenerator) return null;
    return { kind: 'decorator', node: decorator, ...found, name: this.#spanName(found.call, found.method), variable: null, body: fn.body };
  }

  /**
   * The spans open while `node` runs, innermost first. Stops at the enclosing function: a nested `def`
   * or `lambda` runs later, outside the `with` that surrounds its definition.
   */
  enclosingSpans(node: PyNode): SpanScope[] {
    const spans: SpanScope[] = [];
    let child: PyNode = node;
    for (let current = node.parent; current; child = current, current = current.parent) {
      if (current.type === 'with_statement') {
        this.#withSpans(current, child, spans);
      } else if (current.type === 'with_clause') {
        // A later item of the same `with` is evaluated inside the spans of the earlier ones.
        const items = current.children.filter((item): item is WithItem => item.type === 'with_item');
        const index = items.indexOf(child as WithItem);
        for (let i = index - 1; i >= 0; i--) {
          const span = this.spanOfWithItem(items[i] as WithItem);
          if (span) spans.push(span);
        }
      } else if (current.type === 'function_definition') {
        if (child !== current.body) continue;
        for (const decorator of [...this.model.facts(current).decorators].reverse()) {
          const span = this.spanOfDecorator(decorator);
          if (span) spans.push(span);
        }
        break;
      } else if (current.type === 'lambda' && child === current.body) {
        break;
      }
    }
    return spans;
  }

  /**
   * The span open while `node` runs: the innermost span around it in its function, else (when no span
   * is around it there) one a caller in this module holds open around a call to its function. With
   * `current`, only a span made current counts (what a new task or thread would inherit).
   */
  openSpanAt(node: PyNode, options: { current?: boolean } = {}): OpenSpan | null {
    const enclosing = this.enclosingSpans(node);
    const around = options.current ? enclosing.find((span) => span.makesCurrent) : enclosing[0];
    if (around) return { span: around, callers: null };
    if (enclosing.length > 0) return null;
    const fn = this.model.functionOf(node);
    if (fn?.type !== 'function_definition') return null;
    const fromCallers = this.spanFromCallers(fn);
    if (!fromCallers || (options.current && !fromCallers.span.makesCurrent)) return null;
    return { span: fromCallers.span, callers: fromCallers.chain };
  }

  /** How messages name a span: its name as written, else the call that opens it. */
  label(span: SpanScope): string {
    return span.name ?? this.#source(span.call);
  }

  /** Every span scope in the module, in source order. */
  allSpans(): SpanScope[] {
    const spans: SpanScope[] = [];
    for (const item of this.model.nodesOfType('with_item')) {
      const span = this.spanOfWithItem(item);
      if (span) spans.push(span);
    }
    for (const decorator of this.model.nodesOfType('decorator')) {
      const span = this.spanOfDecorator(decorator);
      if (span) spans.push(span);
    }
    return spans.sort((a, b) => a.node.range[0] - b.node.range[0]);
  }

  /**
   * For an `async def` without a span of its own: a span opened by a caller in this module around a
   * call to it (directly, or through a chain of callers), with the chain of function names.
   */
  spanFromCallers(fn: FunctionDefinition): CallerSpan | null {
    // Several rules ask about the same functions; the answer depends only on the module.
    let found = this.#callerSpans.get(fn);
    if (found === undefined) {
      found = this.#findSpanFromCallers(fn);
      this.#callerSpans.set(fn, found);
    }
    return found;
  }

  #findSpanFromCallers(fn: FunctionDefinition): CallerSpan | null {
    const queue: { fn: FunctionDefinition; chain: string[] }[] = [{ fn, chain: [fn.name?.text ?? '<function>'] }];
    const seen = new Set<FunctionDefinition>([fn]);
    while (queue.length > 0) {
      const { fn: callee, chain } = queue.shift() as { fn: FunctionDefinition; chain: string[] };
      if (chain.length > MAX_CALLER_DEPTH) continue;
      for (const site of this.callSitesOf(callee)) {
        const span = this.enclosingSpans(site)[0];
        const caller = this.model.functionOf(site);
        const callerName = caller?.type === 'function_definition' ? (caller.name?.text ?? '<function>') : '<module>';
        if (span) return { span, chain: [callerName, ...chain] };
        if (caller?.type === 'function_definition' && !seen.has(caller)) {
          seen.add(caller);
          queue.push({ fn: caller, chain: [callerName, ...chain] });
        }
      }
    }
    return null;
  }

  /** Calls in this module that call `fn` (by its name, or `self.<method>` within its class). */
  callSitesOf(fn: FunctionDefinition): readonly Call[] {
    if (!this.#callSites) {
      this.#callSites = new Map();
      // resolveFunction finds a `def` only under its own name (`name(...)` or `self.name(...)`), so a call
      // by any other name is ruled out before it is resolved (resolving every call was most of the cost).
      const defNames = new Set<string>();
      for (const definition of this.model.nodesOfType('function_definition')) if (definition.name?.text) defNames.add(definition.name.text);
      for (const call of this.model.nodesOfType('call')) {
        const calledName = calleeLastName(call.function);
        if (calledName === null || !defNames.has(calledName)) continue;
        const target = this.model.resolveFunction(call.function);
        if (!target) continue;
        const list = this.#callSites.get(target);
        if (list) list.push(call);
        else this.#callSites.set(target, [call]);
      }
    }
    return this.#callSites.get(fn) ?? [];
  }

  #withSpans(statement: WithStatement, child: PyNode, into: SpanScope[]): void {
    if (child !== statement.body) return;
    const clause = statement.children.find((node) => node.type === 'with_clause');
    const items = clause ? clause.children.filter((item): item is WithItem => item.type === 'with_item') : [];
    for (let i = items.length - 1; i >= 0; i--) {
      const span = this.spanOfWithItem(items[i] as WithItem);
      if (span) into.push(span);
    }
  }

  /** The span's name as written in a span-making call (see {@link SpanScope.name}). */
  spanName(call: Call, method: string): string | null {
    return this.#spanName(call, method);
  }

  #spanName(call: Call, method: string): string | null {
    const args = call.arguments?.type === 'argument_list' ? call.arguments.children : [];
    const keywordName = method === 'use_span' ? 'span' : 'name';
    const keyword = args.find((arg) => arg.type === 'keyword_argument' && arg.name?.text === keywordName);
    const first = keyword?.type === 'keyword_argument' ? keyword.value : args.find((arg) => arg.type !== 'keyword_argument');
    if (!first) return null;
    // A literal without interpolations: its content as written (escape sequences included), quotes left out.
    const parts = first.type === 'string' ? first.children : null;
    if (parts?.every((part) => part.type === 'string_content')) {
      const [head] = parts;
      const tail = parts[parts.length - 1];
      return head && tail ? this.text.slice(head.range[0], tail.range[1]) : '';
    }
    return this.#source(first);
  }

  #source(node: PyNode): string {
    return this.text.slice(node.range[0], node.range[1]);
  }

}
