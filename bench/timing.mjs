// Timing helpers for the benchmark: rounds that interleave the measured tasks, so a noisy neighbour on a
// shared machine slows all of them alike and the ratios measured in one run stay comparable.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';

/** Median and 90th percentile (nearest rank) of a list of milliseconds. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (fraction) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, p90: rank(0.9), min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/**
 * Runs every task `warmup` times unmeasured, then `reps` measured rounds; each round runs all tasks
 * once, starting from a different task each time. Returns a summary per task name.
 */
export function measureInterleaved(tasks, { warmup, reps }) {
  const names = Object.keys(tasks);
  for (let round = 0; round < warmup; round++) {
    for (const name of names) tasks[name]();
  }
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < reps; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      const started = performance.now();
      tasks[name]();
      samples[name].push(performance.now() - started);
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarize(samples[name])]));
}

/** The command-line options every benchmark takes: `--reps N`, `--warmup N`, `--no-write`. */
export function benchOptions() {
  const { values: options } = parseArgs({
    options: {
      reps: { type: 'string', default: '15' },
      warmup: { type: 'string', default: '5' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  return { options, settings: { reps: positiveInteger(options.reps, '--reps'), warmup: positiveInteger(options.warmup, '--warmup') } };
}

function positiveInteger(value, name) {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    console.error(`${name} must be a whole number of at least 1, got "${value}".`);
    process.exit(2);
  }
  return number;
}
