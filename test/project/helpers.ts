import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixtures = join(repoRoot, 'test', 'fixtures', 'projects');

/** One finding as the tests compare them: file (relative to the project), line, rule, message. */
export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly message: string;
}

/**
 * Lints a fixture project from its root with the real ESLint class and the plugin's config, as
 * `npx eslint .` would there (our config object instead of an eslint.config.* file in the fixture).
 */
export async function lintProject(
  name: string,
  options: { config?: Linter.Config[]; settings?: Record<string, unknown>; rules?: Linter.RulesRecord } = {},
): Promise<Finding[]> {
  const cwd = join(fixtures, name);
  const config: Linter.Config[] = options.config ?? [...plugin.configs.strict];
  const extra: Linter.Config[] = [];
  if (options.settings) extra.push({ settings: options.settings });
  if (options.rules) extra.push({ files: ['**/*.py'], rules: options.rules });
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [...config, ...extra],
  });
  const results = await eslint.lintFiles(['**/*.py']);
  return findingsOf(results, cwd);
}

export function findingsOf(results: readonly ESLint.LintResult[], cwd: string): Finding[] {
  const findings: Finding[] = [];
  for (const result of results) {
    for (const message of result.messages) {
      findings.push({ file: relative(cwd, result.filePath).split('\\').join('/'), line: message.line, rule: message.ruleId ?? '(fatal)', message: message.message });
    }
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
}

/** `file:line rule` for each finding: what most assertions compare. */
export function brief(findings: readonly Finding[], rule?: string): string[] {
  return findings.filter((finding) => rule === undefined || finding.rule === rule).map((finding) => `${finding.file}:${finding.line} ${finding.rule.replace('otel-async/', '')}`);
}

let configFile: string | undefined;

/**
 * A config file for runs whose options must be cloneable (ESLint's `concurrency`): `configs.strict`, in a
 * folder of its own that resolves the plugin from this repository's node_modules.
 */
export function strictConfigFile(): string {
  if (!configFile) {
    const folder = mkdtempSync(join(tmpdir(), 'otel-async-config-'));
    mkdirSync(folder, { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(folder, 'node_modules'), 'dir');
    configFile = join(folder, 'eslint.config.mjs');
    writeFileSync(configFile, "import otelAsync from 'eslint-plugin-otel-async';\nexport default [...otelAsync.configs.strict];\n");
  }
  return configFile;
}

/** Lints a fixture project with {@link strictConfigFile}, with ESLint's `concurrency` option. */
export async function lintProjectWithConfigFile(name: string, concurrency: number | 'auto' | 'off'): Promise<Finding[]> {
  const cwd = join(fixtures, name);
  const eslint = new ESLint({ cwd, overrideConfigFile: strictConfigFile(), concurrency });
  return findingsOf(await eslint.lintFiles(['**/*.py']), cwd);
}
