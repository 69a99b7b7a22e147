import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Linter, RuleTester } from 'eslint';
import plugin from 'eslint-plugin-otel-async';

// RuleTester reports through the test framework's describe/it; point it at node:test.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** A RuleTester that lints Python with the plugin's real language. */
export function pythonRuleTester(): RuleTester {
  return new RuleTester({
    files: ['**/*.py'],
    plugins: { 'otel-async': plugin },
    language: 'otel-async/python',
  });
}

/** RuleTester needs a `.py` filename so the Python config applies. */
export const PY = { filename: 'example.py' } as const;

let scratch: string | undefined;
after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Throws with python3's own message when `code` does not compile (`python3 -m py_compile`). */
export function assertCompiles(code: string, label = 'code'): void {
  scratch ??= mkdtempSync(join(tmpdir(), 'otel-async-py-'));
  const file = join(scratch, `${label.replace(/[^\w-]/g, '_')}.py`);
  writeFileSync(file, code);
  try {
    execFileSync('python3', ['-m', 'py_compile', file], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`${label} does not compile:\n${stderr}\n--- code ---\n${code}`);
  }
}

/** Lints Python text with one rule (and its options) through the real Linter. */
export function lintPython(code: string, ruleId: string, options: unknown[] = []): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat' });
  return linter.verify(
    code,
    [
      {
        files: ['**/*.py'],
        plugins: { 'otel-async': plugin },
        language: 'otel-async/python',
        rules: { [`otel-async/${ruleId}`]: ['error', ...options] },
      },
    ],
    { filename: 'example.py' },
  );
}

/**
 * For every problem the rule reports in `code`: applies its fix and each of its suggestions, checks
 * that the result compiles with python3, and that linting the result again does not report that
 * problem any more (same message at the same place is gone, and the problem count went down).
 * Returns the outputs, so tests can also compare them exactly.
 */
export function checkFixesAndSuggestions(code: string, ruleId: string, options: unknown[] = []): string[] {
  const messages = lintPython(code, ruleId, options).filter((message) => message.ruleId === `otel-async/${ruleId}`);
  if (messages.length === 0) throw new Error(`otel-async/${ruleId} reported nothing for:\n${code}`);
  const outputs: string[] = [];
  messages.forEach((message, index) => {
    const edits = [...(message.fix ? [message.fix] : []), ...(message.suggestions ?? []).map((suggestion) => suggestion.fix)];
    for (const edit of edits) {
      const output = code.slice(0, edit.range[0]) + edit.text + code.slice(edit.range[1]);
      assertCompiles(output, `${ruleId}-${index}`);
      const after = lintPython(output, ruleId, options).filter((m) => m.ruleId === `otel-async/${ruleId}`);
      if (after.length >= messages.length) {
        throw new Error(
          `otel-async/${ruleId} still reports ${after.length} problem(s) after a fix/suggestion for "${message.message}":\n${output}\n` +
            after.map((m) => `  ${m.line}:${m.column} ${m.message}`).join('\n'),
        );
      }
      outputs.push(output);
    }
  });
  return outputs;
}
