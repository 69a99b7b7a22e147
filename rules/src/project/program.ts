import { relative } from 'node:path';
import type { SemanticModel } from '../semantic/model.js';
import { projectOf } from './index.js';

/**
 * Tracing shutdown for a whole program: the modules an entry module imports, directly or through
 * others, are one program; a provider set up in one of them, a signal handler installed in another,
 * count for the entry point that runs them all.
 */
export interface ProgramShutdown {
  /** The first provider with a BatchSpanProcessor found in the program (the entry module's own first). */
  readonly provider: { readonly label: string; readonly path: string; readonly line: number } | null;
  /** Signals the program's modules install handlers for; 'any' when one of them cannot be named. */
  readonly handledSignals: ReadonlySet<string> | 'any';
  /** Whether some module of the program flushes the provider in `finally:` or at exit. */
  readonly flushesOnExit: boolean;
  /** How many modules the program has (the entry module included). */
  readonly modules: number;
}

/** The program an entry module runs; null for text without a file or a module the project cannot name. */
export function programShutdown(model: SemanticModel): ProgramShutdown | null {
  const located = projectOf(model);
  const identity = model.identity;
  if (!located || !identity) return null;
  const own = located.project.module(identity.name);
  if (!own || own.path !== located.path) return null;
  let provider: ProgramShutdown['provider'] = null;
  const handled = new Set<string>();
  let anySignal = false;
  let flushesOnExit = false;
  const modules = located.project.importClosure(own);
  for (const summary of modules) {
    const facts = summary.shutdown;
    const [first] = facts.providers;
    if (!provider && first) provider = { label: first.label, path: summary.path, line: first.line };
    if (facts.handledSignals === 'any') anySignal = true;
    else for (const name of facts.handledSignals) handled.add(name);
    if (facts.flushesOnExit) flushesOnExit = true;
  }
  return { provider, handledSignals: anySignal ? 'any' : handled, flushesOnExit, modules: modules.length };
}

/** `shop/telemetry.py:12`, relative to `cwd`. */
export function whereText(path: string, line: number, cwd: string): string {
  const shown = relative(cwd, path).split('\\').join('/');
  return `${shown === '' || shown.startsWith('..') ? path : shown}:${line}`;
}
