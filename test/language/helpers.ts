import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { RuleDefinition } from '@eslint/core';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';
import type { PyNodeOfType, PythonSourceCode } from 'eslint-plugin-otel-async/language';

/**
 * A rule that exists only in these tests: it reports every `call` node, so directives and positions
 * have something to act on that does not depend on any real rule's logic.
 */
export const reportEveryCall: RuleDefinition = {
  meta: { type: 'problem', schema: [], messages: { call: 'call of {{callee}}' } },
  create(context) {
    const sourceCode = context.sourceCode as unknown as PythonSourceCode;
    return {
      call(node: PyNodeOfType<'call'>) {
        const callee = node.function ? sourceCode.getText(node.function) : '?';
        context.report({ node, messageId: 'call', data: { callee } });
      },
    };
  },
};

export const testPlugin = { rules: { 'report-call': reportEveryCall } };

export type Rules = Linter.RulesRecord;

/** A flat config that lints `.py` files with the plugin's Python language, the test plugin included. */
export function pythonConfig(rules: Rules, extra: Linter.Config = {}): Linter.Config[] {
  return [
    {
      files: ['**/*.py'],
      plugins: { 'otel-async': plugin, test: testPlugin },
      language: 'otel-async/python',
      rules,
    },
    ...(Object.keys(extra).length > 0 ? [{ files: ['**/*.py'], ...extra }] : []),
  ];
}

export const CALLS: Rules = { 'test/report-call': 'error' };
export const SYNTAX: Rules = { 'otel-async/syntax-error': 'error' };

/** Lints Python text with the real Linter and returns the messages. */
export function lint(code: string, rules: Rules = CALLS, extra: Linter.Config = {}): Linter.LintMessage[] {
  return new Linter({ configType: 'flat' }).verify(code, pythonConfig(rules, extra), { filename: 'example.py' });
}

/** The SourceCode ESLint built for `code` (through a real Linter run). */
export function sourceCodeOf(code: string, extra: Linter.Config = {}): PythonSourceCode {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(code, pythonConfig({}, extra), { filename: 'example.py' });
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`parse failed: ${fatal.message}`);
  return linter.getSourceCode() as unknown as PythonSourceCode;
}

/** A message reduced to what the tests compare: rule, text and its exact ESLint position. */
export interface Reported {
  ruleId: string | null;
  message: string;
  line: number;
  column: number;
  endLine: number | undefined;
  endColumn: number | undefined;
}

export function reported(messages: readonly Linter.LintMessage[]): Reported[] {
  return messages.map(({ ruleId, message, line, column, endLine, endColumn }) => ({ ruleId, message, line, column, endLine, endColumn }));
}

/** Shorthand for one expected message. */
export function at(
  ruleId: string | null,
  message: string,
  line: number,
  column: number,
  endLine: number | undefined,
  endColumn: number | undefined,
): Reported {
  return { ruleId, message, line, column, endLine, endColumn };
}

let scratch: string | undefined;
after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Whether python3 compiles `code` (`python3 -m py_compile`); returns python's error text otherwise. */
export function pythonCompileError(code: string | Uint8Array): string | undefined {
  scratch ??= mkdtempSync(join(tmpdir(), 'otel-async-lang-'));
  const file = join(scratch, 'check.py');
  writeFileSync(file, code);
  try {
    execFileSync('python3', ['-m', 'py_compile', file], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
  }
}

const COMPILE_EACH = `
import json, sys
results = []
for source in json.load(sys.stdin):
    try:
        compile(source.encode('utf-8', 'surrogatepass'), 'check.py', 'exec', dont_inherit=True)
        results.append(None)
    except (SyntaxError, ValueError) as error:
        results.append(type(error).__name__ + ': ' + str(getattr(error, 'msg', error)))
print(json.dumps(results))
`;

/**
 * What python3's compiler says about each source, in one python3 process: undefined when it compiles,
 * else "<ErrorClass>: <message>". Source bytes are compiled as py_compile compiles a file's bytes.
 */
export function pythonCompileErrors(sources: readonly string[]): (string | undefined)[] {
  const output = execFileSync('python3', ['-c', COMPILE_EACH], { input: JSON.stringify(sources), encoding: 'utf8' });
  return (JSON.parse(output) as (string | null)[]).map((result) => result ?? undefined);
}

export function assertCompiles(code: string): void {
  const error = pythonCompileError(code);
  if (error !== undefined) throw new Error(`python3 does not compile:\n${error}\n--- code ---\n${code}`);
}
