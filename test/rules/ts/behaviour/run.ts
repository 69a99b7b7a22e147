import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after } from 'node:test';
import type { Linter } from 'eslint';
import { applyEdit, BEHAVIOUR_FIXTURES, lintTs } from '../helpers.js';

/** One span as the fixture's FileSpanExporter wrote it. */
export interface ExportedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  /** [seconds, nanoseconds], as the SDK's HrTime. */
  readonly start: [number, number];
  readonly end: [number, number];
  readonly attributes: Record<string, unknown>;
  readonly status: { code: number; message?: string };
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly spans: readonly ExportedSpan[];
}

const scratch = mkdtempSync(join(tmpdir(), 'otel-async-behaviour-'));
const generated: string[] = [];
after(() => {
  rmSync(scratch, { recursive: true, force: true });
  for (const file of generated) rmSync(file, { force: true });
});

/** Milliseconds between two HrTimes. */
export function millisBetween(from: readonly [number, number], to: readonly [number, number]): number {
  return (to[0] - from[0]) * 1000 + (to[1] - from[1]) / 1e6;
}

/**
 * Runs a fixture program with `node`, its exporter writing to a fresh file. With `signal`, sends it
 * once the program prints "ready". Resolves with the exit and the spans that reached the exporter.
 */
export function runProgram(path: string, options: { signal?: NodeJS.Signals; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
  const spanFile = join(scratch, `${basename(path)}-${Math.random().toString(36).slice(2)}.jsonl`);
  const child = spawn(process.execPath, [path], {
    cwd: BEHAVIOUR_FIXTURES,
    env: { ...process.env, ...options.env, SPAN_FILE: spanFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (options.signal && !signalled && stdout.includes('ready')) {
      signalled = true;
      child.kill(options.signal);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') {
        reject(new Error(`${basename(path)} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
        return;
      }
      const text = existsSync(spanFile) ? readFileSync(spanFile, 'utf8') : '';
      const spans = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as ExportedSpan);
      resolve({ code, signal, stdout, stderr, spans });
    });
  });
}

export function fixture(name: string): string {
  return join(BEHAVIOUR_FIXTURES, name);
}

/** Lints a fixture program with one rule, as the plugin's config would. */
export function lintFixture(name: string, ruleId: string, ruleOptions: unknown[] = []): { code: string; messages: Linter.LintMessage[] } {
  const code = readFileSync(fixture(name), 'utf8');
  const messages = lintTs(code, ruleId, { filename: join('behaviour', name), ruleOptions }).filter((message) => message.ruleId === `otel-async/${ruleId}`);
  return { code, messages };
}

/**
 * Applies the rule's suggestion (by message id) to every problem the rule reports in a fixture, one
 * after the other (re-linting in between), writes the result next to the fixture (so it resolves the
 * same packages) and returns its path and text. Fails when a problem has no such suggestion.
 */
export function applySuggestions(name: string, ruleId: string, suggestionId: string, ruleOptions: unknown[] = []): { path: string; code: string } {
  let { code, messages } = lintFixture(name, ruleId, ruleOptions);
  assert.ok(messages.length > 0, `${name}: otel-async/${ruleId} reports nothing`);
  for (let round = 0; messages.length > 0; round++) {
    assert.ok(round < 20, `${name}: suggestions do not converge`);
    const first = messages[0] as Linter.LintMessage;
    const suggestion = first.suggestions?.find((candidate) => candidate.messageId === suggestionId);
    assert.ok(suggestion, `${name}: "${first.message}" has no ${suggestionId} suggestion`);
    code = applyEdit(code, suggestion.fix);
    messages = lintTs(code, ruleId, { filename: join('behaviour', name), ruleOptions }).filter((message) => message.ruleId === `otel-async/${ruleId}`);
  }
  const path = fixture(`generated-${process.pid}-${name}`);
  writeFileSync(path, code);
  generated.push(path);
  return { path, code };
}
