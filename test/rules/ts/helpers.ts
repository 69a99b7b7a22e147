import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';

// typescript-eslint's RuleTester reports through the test framework's hooks; point it at node:test.
// node:test's describe/it return promises its runner tracks itself; RuleTester expects plain calls.
RuleTester.afterAll = (fn) => {
  after(fn);
};
RuleTester.describe = (text, fn) => {
  void describe(text, fn);
};
RuleTester.describeSkip = (text, fn) => {
  void describe.skip(text, fn);
};
RuleTester.it = (text, fn) => {
  void it(text, fn);
};
RuleTester.itOnly = (text, fn) => {
  void it.only(text, fn);
};
RuleTester.itSkip = (text, fn) => {
  void it.skip(text, fn);
};

const testRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The typed fixture project: a tsconfig and `file.ts`, under which typed tests lint their code. */
export const TS_FIXTURES = join(testRoot, 'fixtures', 'ts');
/** Small programs run with `node` against the real OpenTelemetry SDK. */
export const BEHAVIOUR_FIXTURES = join(TS_FIXTURES, 'behaviour');

/** The plugin's rule for an id, as typescript-eslint's RuleTester types it (one rule serves both languages). */
export function tsRule(id: string): TesterRule {
  const rule = plugin.rules[id];
  if (!rule) throw new Error(`no rule otel-async/${id}`);
  return rule as unknown as TesterRule;
}

type TesterRule = Parameters<RuleTester['run']>[1];

/** A RuleTester for syntactic linting (no type information), with `@typescript-eslint/parser`. */
export function syntacticTester(): RuleTester {
  return new RuleTester();
}

/** A RuleTester with type information from the fixture project (`test/fixtures/ts/tsconfig.json`). */
export function typedTester(): RuleTester {
  return new RuleTester({
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: TS_FIXTURES } },
  });
}

/**
 * Lints `code` with the plugin's own `configs.strict` (so with its TS/JS config block and parser) and
 * only `ruleId` on, as a user's `eslint.config.mjs` would. `typed` adds `projectService` type information.
 */
export function lintTs(code: string, ruleId: string, options: { filename?: string; typed?: boolean; ruleOptions?: unknown[] } = {}): Linter.LintMessage[] {
  const linter = new Linter({ configType: 'flat', cwd: TS_FIXTURES });
  const configs: Linter.Config[] = plugin.configs.strict.map((config) => ({ ...config, rules: {} }));
  const typed: Linter.Config[] = options.typed
    ? [{ files: ['**/*.{ts,mts,js,mjs}'], languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['*.mjs', '*.js'] }, tsconfigRootDir: TS_FIXTURES } } }]
    : [];
  return linter.verify(
    code,
    [...configs, ...typed, { rules: { [`otel-async/${ruleId}`]: ['error', ...(options.ruleOptions ?? [])] } }],
    { filename: join(TS_FIXTURES, options.filename ?? 'file.ts') },
  );
}

/** Applies one lint message's fix or suggestion to `code`. */
export function applyEdit(code: string, edit: { range: readonly [number, number]; text: string }): string {
  return code.slice(0, edit.range[0]) + edit.text + code.slice(edit.range[1]);
}
