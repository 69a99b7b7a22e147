import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';
import { seedGuide } from '../../helpers/seed-guide.js';

/**
 * The async tracing guide this project started from, linted with the whole configs.recommended (and
 * strict for the mistakes): its correct patterns are clean, its common mistakes are reported, and the
 * two examples that do not do what the guide says are reported by design.
 */
function lint(file: Parameters<typeof seedGuide>[0], config: 'recommended' | 'strict'): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(seedGuide(file), [...plugin.configs[config]], { filename: `${file}.py` });
  return messages.map((message) => `${message.line}:${message.column} ${message.ruleId ?? 'fatal'}`);
}

describe('the seed guide, linted with the whole plugin', () => {
  it('its correct patterns lint clean with configs.recommended and configs.strict', () => {
    assert.deepEqual(lint('correct_patterns', 'recommended'), []);
    assert.deepEqual(lint('correct_patterns', 'strict'), []);
  });

  it('the context-run "isolation" and the shutdown example are reported by design', () => {
    assert.deepEqual(lint('reported_by_design', 'recommended'), ['26:11 otel-async/no-ineffective-context-run', '38:5 otel-async/require-shutdown-flush']);
  });

  it('each common mistake the rules cover is reported', () => {
    assert.deepEqual(lint('common_mistakes', 'strict'), [
      '10:10 otel-async/no-thread-local-context',
      '15:9 otel-async/no-thread-local-context',
      '21:9 otel-async/no-blocking-in-span',
      '22:16 otel-async/no-blocking-in-span',
      '27:14 otel-async/no-span-in-tight-loop',
      '34:22 otel-async/no-executor-context-loss',
      '39:9 otel-async/no-orphan-background-span',
      '39:9 otel-async/no-untracked-task',
      '43:13 otel-async/no-leaked-context',
    ]);
  });
});
