import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import plugin from 'eslint-plugin-otel-async';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const eslintBin = join(repoRoot, 'node_modules', '.bin', 'eslint');

/** The whole config a user writes, exactly as the README and issue give it. */
const USER_CONFIG = "import otelAsync from 'eslint-plugin-otel-async'; export default [...otelAsync.configs.recommended];\n";
const BROKEN = 'def f(:\n    pass\n';
const CLEAN = 'import asyncio\n\n\nasync def main():\n    await asyncio.sleep(0)\n';

let project = '';

before(() => {
  // A user's project: its own folder, its own config, the plugin resolvable from node_modules.
  project = mkdtempSync(join(tmpdir(), 'otel-async-user-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
  writeFileSync(join(project, 'eslint.config.mjs'), USER_CONFIG);
  writeFileSync(join(project, 'broken.py'), BROKEN);
  writeFileSync(join(project, 'clean.py'), CLEAN);
  mkdirSync(join(project, 'pkg'));
  writeFileSync(join(project, 'pkg', 'mod.py'), CLEAN);
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function eslint(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(eslintBin, args, { cwd: project, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the eslint CLI in a user project whose config is only configs.recommended', () => {
  test('a broken .py file: the otel-async/syntax-error diagnostic at its position, exit code 1', () => {
    const { status, stdout, stderr } = eslint('broken.py');
    assert.equal(stderr, '');
    assert.match(stdout, /broken\.py\n\s+1:7\s+error\s+Syntax error: missing '\)'\s+otel-async\/syntax-error\n/u);
    assert.match(stdout, /1 problem \(1 error, 0 warnings\)/u);
    assert.equal(status, 1);
  });

  test('clean .py files (a file and a folder): no output, exit code 0', () => {
    const { status, stdout, stderr } = eslint('clean.py', 'pkg');
    assert.equal(stderr, '');
    assert.equal(stdout, '');
    assert.equal(status, 0);
  });
});

describe('the ESLint class API', () => {
  test('configs.recommended: lintText and lintFiles report syntax errors with exact positions', async () => {
    const eslintApi = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: plugin.configs.recommended });
    const [fromText] = await eslintApi.lintText('x = (1,\n', { filePath: join(project, 'inline.py') });
    assert.deepEqual(
      fromText?.messages.map(({ ruleId, message, line, column, endLine, endColumn }) => ({ ruleId, message, line, column, endLine, endColumn })),
      [{ ruleId: 'otel-async/syntax-error', message: "Syntax error: '(' is never closed", line: 1, column: 5, endLine: 1, endColumn: 6 }],
    );
    const results = (await eslintApi.lintFiles(['.'])).filter((result) => result.filePath.endsWith('.py'));
    assert.deepEqual(
      results.map((result) => [result.filePath.slice(project.length + 1), result.errorCount, result.warningCount]).sort(),
      [
        ['broken.py', 1, 0],
        ['clean.py', 0, 0],
        [join('pkg', 'mod.py'), 0, 0],
      ],
    );
  });

  test('configs.recommended and configs.strict: the config a .py file gets', async () => {
    for (const level of ['recommended', 'strict'] as const) {
      const eslintApi = new ESLint({ cwd: project, overrideConfigFile: true, overrideConfig: plugin.configs[level] });
      const config = (await eslintApi.calculateConfigForFile(join(project, 'a.py'))) as {
        language: unknown;
        languageOptions: unknown;
        rules: Record<string, unknown>;
      };
      assert.equal(config.language, plugin.languages.python, level);
      assert.deepEqual(config.languageOptions, { tolerant: true });
      const expected = plugin.configs[level].find((entry) => entry.language === 'otel-async/python')?.rules ?? {};
      // Each rule is an error; rules with options carry their defaults after the severity.
      const active = Object.entries(config.rules).filter(([id]) => id.startsWith('otel-async/'));
      assert.deepEqual(
        Object.fromEntries(active.map(([id, value]) => [id, (value as unknown[])[0]])),
        Object.fromEntries(Object.keys(expected).map((id) => [id, 2])),
        level,
      );
      const [result] = await eslintApi.lintText(BROKEN, { filePath: join(project, 'b.py') });
      assert.deepEqual(result?.messages.map((message) => [message.ruleId, message.line, message.column]), [['otel-async/syntax-error', 1, 7]], level);
    }
    const strictRules = Object.keys(plugin.configs.strict.find((entry) => entry.language === 'otel-async/python')?.rules ?? {});
    const recommendedRules = Object.keys(plugin.configs.recommended.find((entry) => entry.language === 'otel-async/python')?.rules ?? {});
    assert.ok(recommendedRules.every((id) => strictRules.includes(id)));
  });

  test('tolerant: false through the ESLint class makes a syntax error fatal', async () => {
    const eslintApi = new ESLint({
      cwd: project,
      overrideConfigFile: true,
      overrideConfig: [...plugin.configs.recommended, { files: ['**/*.py'], languageOptions: { tolerant: false } }],
    });
    const [result] = await eslintApi.lintText(BROKEN, { filePath: join(project, 'b.py') });
    assert.equal(result?.fatalErrorCount, 1);
    assert.deepEqual(
      result.messages.map(({ ruleId, fatal, message, line, column }) => ({ ruleId, fatal, message, line, column })),
      [{ ruleId: null, fatal: true, message: "Parsing error: Syntax error: missing ')'", line: 1, column: 7 }],
    );
  });
});
