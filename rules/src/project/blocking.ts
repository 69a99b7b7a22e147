import { relative } from 'node:path';
import type { BlockingCall } from '../data/blocking-calls.js';
import type { Call } from '../language/generated/node-types.js';
import type { BlockingCalls } from '../semantic/blocking.js';
import type { SemanticModel } from '../semantic/model.js';
import { projectOf } from './index.js';
import { Project } from './project.js';
import { callLabel, summarizeModule, type FunctionSummary, type ModuleSummary } from './summary.js';

/**
 * "Does calling this function block the event loop?" for the sync functions of the project: a function
 * blocks when its own body makes a blocking call, or calls a sync function of the project (this module
 * or another, to any depth) that does. The answer carries the chain of calls down to the blocking one.
 */

/** One call of a chain: how messages show it, and where it is. */
export interface BlockingStep {
  readonly label: string;
  readonly path: string | null;
  readonly line: number;
}

export interface BlockingChain {
  /** From the helper call in the async code down to the blocking call. */
  readonly steps: readonly BlockingStep[];
  /** The table entry of the blocking call at the end. */
  readonly entry: BlockingCall;
}

const MAX_CHAIN = 12;

/** Results per project generation, per module summary, per function and matcher options. */
const results = new WeakMap<Project | SemanticModel, WeakMap<ModuleSummary, Map<string, BlockingChain | null>>>();
/** The summary of a model without a project (text linted without a file). */
const localSummaries = new WeakMap<SemanticModel, ModuleSummary>();

function ownSummary(model: SemanticModel): ModuleSummary | null {
  const located = projectOf(model);
  const identity = model.identity;
  if (located && identity) {
    const summary = located.project.module(identity.name);
    if (summary?.path === located.path) return summary;
  }
  let summary = localSummaries.get(model);
  if (!summary) {
    summary = summarizeModule(model, located?.path ?? '', identity ?? { name: '__main__', isPackage: false });
    localSummaries.set(model, summary);
  }
  return summary;
}

/**
 * The chain through which an (unawaited) call in async code blocks: the call is to a sync, non-generator
 * function of the project that blocks. Null when it is not, when the function is unknown, or when the
 * user allows it.
 */
export function blockingThroughHelper(model: SemanticModel, call: Call, matcher: BlockingCalls): BlockingChain | null {
  const located = projectOf(model);
  const project = located?.project ?? null;
  const target = helperOf(model, call, project);
  if (!target) return null;
  const canonical = (name: string): string => (project ? project.canonical(name) : name);
  const calledNames = [model.calleeName(call)].filter((name): name is string => name !== null).map(canonical);
  if (matcher.isAllowed(calledNames)) return null;
  const chain = functionBlocks(project ?? model, target.module, target.fn, matcher, new Set(), 0);
  if (!chain) return null;
  return { steps: [{ label: callLabel(model, call), path: located?.path ?? null, line: call.loc.start.line }, ...chain.steps], entry: chain.entry };
}

/** The function a call calls: a `def` of this module (by scope, or `self.method`), else a project function by its canonical name. */
function helperOf(model: SemanticModel, call: Call, project: Project | null): { module: ModuleSummary; fn: FunctionSummary } | null {
  const local = model.resolveFunction(call.function);
  if (local) {
    const qualname = model.qualnameOf(local);
    const summary = qualname ? ownSummary(model) : null;
    const fn = qualname ? summary?.functions.get(qualname) : undefined;
    return summary && fn ? { module: summary, fn } : null;
  }
  if (!project) return null;
  const name = model.calleeName(call);
  const found = name ? project.functionAt(name) : null;
  return found ? { module: found.module, fn: found.fn } : null;
}

function functionBlocks(
  scope: Project | SemanticModel,
  module: ModuleSummary,
  fn: FunctionSummary,
  matcher: BlockingCalls,
  visiting: Set<string>,
  depth: number,
): BlockingChain | null {
  if (fn.calls === null || depth > MAX_CHAIN) return null;
  let byModule = results.get(scope);
  if (!byModule) {
    byModule = new WeakMap();
    results.set(scope, byModule);
  }
  let byFunction = byModule.get(module);
  if (!byFunction) {
    byFunction = new Map();
    byModule.set(module, byFunction);
  }
  const key = `${fn.qualname}\0${matcher.key}`;
  if (byFunction.has(key)) return byFunction.get(key) ?? null;
  const visitKey = `${module.path}\0${fn.qualname}`;
  // A recursion reached again while it is being answered adds nothing: its calls are being looked at.
  if (visiting.has(visitKey)) return null;
  visiting.add(visitKey);
  const project = scope instanceof Project ? scope : null;
  let found: BlockingChain | null = null;
  for (const call of fn.calls) {
    const names = project ? call.names.map((name) => project.canonical(name)) : call.names;
    if (matcher.isAllowed(names)) continue;
    const step: BlockingStep = { label: call.label, path: module.path || null, line: call.line };
    const entry = matcher.entryFor(names);
    if (entry) {
      found = { steps: [step], entry };
      break;
    }
    const next = nextFunction(project, module, call.target, names);
    const deeper = next ? functionBlocks(scope, next.module, next.fn, matcher, visiting, depth + 1) : null;
    if (deeper) {
      found = { steps: [step, ...deeper.steps], entry: deeper.entry };
      break;
    }
  }
  visiting.delete(visitKey);
  byFunction.set(key, found);
  return found;
}

function nextFunction(project: Project | null, module: ModuleSummary, target: string | null, names: readonly string[]): { module: ModuleSummary; fn: FunctionSummary } | null {
  if (target) {
    const fn = module.functions.get(target);
    return fn ? { module, fn } : null;
  }
  if (!project) return null;
  for (const name of names) {
    const found = project.functionAt(name);
    if (found) return found;
  }
  return null;
}

/** `fetch_price() → _get_json() → requests.get()` with where the last call is (`shop/pricing.py:9`, relative to `cwd`). */
export function blockingChainText(chain: BlockingChain, cwd: string): string {
  const labels = chain.steps.map((step) => step.label).join(' → ');
  const last = chain.steps[chain.steps.length - 1];
  if (!last) return labels;
  const where = last.path ? `${relative(cwd, last.path).split('\\').join('/') || last.path}:${last.line}` : `line ${last.line}`;
  return `${labels} at ${where}`;
}
