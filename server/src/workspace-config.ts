import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { isRuleFix, PYTHON_FILES, SYNTAX_ERROR_RULE, TS_FILES, type FixRun, type LintRun } from './engine';
import type { ResolvedSettings, RuleSeverity } from './protocol';

/**
 * Linting with the workspace's own `eslint.config.*`, so the editor and CI agree. Loading a config
 * runs workspace JavaScript, so this is only used in trusted workspaces (the caller checks). A config
 * counts only when, for the file at hand, it selects this plugin's Python language (Python files) or
 * turns on one of its rules (TS/JS files); otherwise the built-in engine lints the file.
 */

const CONFIG_FILE_NAMES = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];
const PLUGIN_PACKAGE = 'eslint-plugin-otel-async';

/** The nearest ESLint flat config file from the file's folder up to (and including) the root. */
export function findConfigFile(filePath: string, root: string | undefined): string | undefined {
  let directory = path.dirname(filePath);
  const stop = root === undefined ? undefined : path.resolve(root);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(directory, name);
      if (existsSync(candidate)) return candidate;
    }
    if (stop !== undefined && path.resolve(directory) === stop) return undefined;
    const parent = path.dirname(directory);
    if (parent === directory) return undefined;
    // Outside the workspace folder: a config there belongs to another project.
    if (stop !== undefined && !parent.startsWith(stop)) return undefined;
    directory = parent;
  }
}

interface PluginLike {
  meta?: { name?: unknown };
  languages?: Record<string, unknown>;
}

interface CalculatedConfig {
  plugins?: Record<string, PluginLike>;
  language?: unknown;
  rules?: Record<string, unknown>;
}

function isOff(entry: unknown): boolean {
  const level: unknown = Array.isArray(entry) ? (entry as unknown[])[0] : entry;
  return level === 'off' || level === 0;
}

/**
 * Whether a calculated config lints the file with this plugin: a Python file with its Python language,
 * a TS/JS file with at least one of its rules turned on.
 */
function usesOurPlugin(config: CalculatedConfig | undefined, filePath: string): boolean {
  if (!config?.plugins) return false;
  const ours = Object.values(config.plugins).filter((plugin) => plugin.meta?.name === PLUGIN_PACKAGE);
  if (/\.pyi?$/.test(filePath)) return ours.some((plugin) => plugin.languages !== undefined && plugin.languages.python === config.language);
  return ours.length > 0 && Object.entries(config.rules ?? {}).some(([id, entry]) => id.startsWith('otel-async/') && !isOff(entry));
}

function editorOverrides(settings: ResolvedSettings): Linter.Config[] {
  const rules: Linter.RulesRecord = {};
  for (const [id, severity] of Object.entries(settings.rules)) rules[id] = severity === 'info' ? 'warn' : severity;
  if (!settings.showSyntaxErrors) rules[SYNTAX_ERROR_RULE] = 'off';
  return Object.keys(rules).length === 0 ? [] : [{ name: 'otel-async/editor-settings', files: [...PYTHON_FILES, ...TS_FILES], rules }];
}

function editorSeverities(settings: ResolvedSettings): Record<string, RuleSeverity> {
  return { ...settings.rules };
}

/** One workspace config file with the editor's overrides on top; the fixing instance is made on demand. */
class WorkspaceConfig {
  readonly configFile: string;
  readonly #options: ESLint.Options;
  readonly #eslint: ESLint;
  #fixer: ESLint | undefined;

  constructor(configFile: string, settings: ResolvedSettings) {
    this.configFile = configFile;
    this.#options = {
      cwd: path.dirname(configFile),
      overrideConfigFile: configFile,
      overrideConfig: editorOverrides(settings),
      // Files open in the editor are linted even when they have no .py extension on disk.
      errorOnUnmatchedPattern: false,
    };
    this.#eslint = new ESLint(this.#options);
  }

  /**
   * Undefined when the config does not lint this file with our language; no messages when the config
   * ignores the file (the user asked for silence there, so the built-in config must not lint it either).
   */
  async lint(text: string, filePath: string, settings: ResolvedSettings): Promise<LintRun | undefined> {
    if (await this.#eslint.isPathIgnored(filePath)) return { messages: [], docsUrl: () => undefined, editorSeverities: {} };
    const config = (await this.#eslint.calculateConfigForFile(filePath)) as CalculatedConfig | undefined;
    if (!usesOurPlugin(config, filePath)) return undefined;
    const results = await this.#eslint.lintText(text, { filePath, warnIgnored: false });
    const meta = this.#eslint.getRulesMetaForResults(results);
    return {
      messages: results[0]?.messages ?? [],
      docsUrl: (ruleId) => {
        const url = (meta[ruleId] as { docs?: { url?: unknown } } | undefined)?.docs?.url;
        return typeof url === 'string' ? url : undefined;
      },
      editorSeverities: editorSeverities(settings),
    };
  }

  async fix(text: string, filePath: string): Promise<FixRun | undefined> {
    if (await this.#eslint.isPathIgnored(filePath)) return { output: text, fixed: false, messages: [] };
    const config = (await this.#eslint.calculateConfigForFile(filePath)) as CalculatedConfig | undefined;
    if (!usesOurPlugin(config, filePath)) return undefined;
    this.#fixer ??= new ESLint({ ...this.#options, fix: isRuleFix });
    const results = await this.#fixer.lintText(text, { filePath, warnIgnored: false });
    const result = results[0];
    if (!result) return { output: text, fixed: false, messages: [] };
    return { output: result.output ?? text, fixed: result.output !== undefined, messages: result.messages };
  }
}

/** The workspace configs in use, by config file and settings; dropped when a config file changes. */
export class WorkspaceConfigs {
  readonly #configs = new Map<string, WorkspaceConfig>();

  /** The workspace config for a file, or undefined when there is none. */
  forFile(filePath: string, settings: ResolvedSettings): WorkspaceConfig | undefined {
    const configFile = findConfigFile(filePath, settings.workspaceFolder);
    if (configFile === undefined) return undefined;
    const key = JSON.stringify([configFile, settings.rules, settings.showSyntaxErrors]);
    let config = this.#configs.get(key);
    if (!config) {
      config = new WorkspaceConfig(configFile, settings);
      this.#configs.set(key, config);
    }
    return config;
  }

  /** Forget every loaded config (a config file, a package or the trust changed). */
  clear(): void {
    this.#configs.clear();
  }
}

export type { WorkspaceConfig };
