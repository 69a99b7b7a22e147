import { Linter } from 'eslint';
import type { ResolvedSettings, RuleSeverity } from './protocol';
import type { OtelPlugin } from './plugin';

/**
 * The built-in engine: ESLint's `Linter`, in-process, with the bundled plugin's recommended config plus
 * the editor settings. No file system access and no workspace code, so it is what untrusted workspaces
 * and files without a workspace config get. It is the same Linter `npx eslint` runs.
 */

export const PYTHON_FILES = ['**/*.py', '**/*.pyi'];
export const SYNTAX_ERROR_RULE = 'otel-async/syntax-error';

/** The result of linting one text. */
export interface LintRun {
  readonly messages: readonly Linter.LintMessage[];
  /** The rule's documentation page, when its meta has one. */
  readonly docsUrl: (ruleId: string) => string | undefined;
  /** Editor severity overrides (`info`), keyed by full rule id. */
  readonly editorSeverities: Readonly<Record<string, RuleSeverity>>;
}

export interface FixRun {
  /** The text with every autofix applied (to a fixed point), or the input when nothing was fixable. */
  readonly output: string;
  readonly fixed: boolean;
  /** The problems left after fixing. */
  readonly messages: readonly Linter.LintMessage[];
}

/** The config the settings produce, built once per distinct settings. */
interface BuiltConfig {
  readonly config: Linter.Config[];
  /** Sentences for the log: unknown rules, invalid options. */
  readonly problems: readonly string[];
  readonly editorSeverities: Readonly<Record<string, RuleSeverity>>;
}

function eslintLevel(severity: RuleSeverity): Linter.RuleSeverity {
  return severity === 'info' ? 'warn' : severity;
}

function settingsKey(settings: ResolvedSettings): string {
  return JSON.stringify([settings.rules, settings.ruleOptions, settings.showSyntaxErrors]);
}

/**
 * A fix predicate: rules' fixes are applied, as `eslint --fix` applies them; the removal of an unused
 * disable directive (a message without a rule) is left to the user, since it deletes their comment.
 */
export function isRuleFix(message: Linter.LintMessage): boolean {
  return message.ruleId !== null;
}

export class BuiltInEngine {
  readonly #plugin: OtelPlugin;
  readonly #linter = new Linter({ configType: 'flat' });
  readonly #configs = new Map<string, BuiltConfig>();
  readonly #docsUrls = new Map<string, string>();
  readonly #reportProblem: (problem: string) => void;

  /** `reportProblem` hears about each settings problem once per distinct settings (they are cached). */
  constructor(plugin: OtelPlugin, reportProblem: (problem: string) => void = () => undefined) {
    this.#plugin = plugin;
    this.#reportProblem = reportProblem;
    for (const [id, rule] of Object.entries(plugin.rules)) {
      const url = rule.meta?.docs?.url;
      if (typeof url === 'string') this.#docsUrls.set(`otel-async/${id}`, url);
    }
  }

  /** Whether the bundled plugin has this rule (full id). */
  hasRule(ruleId: string): boolean {
    return ruleId.startsWith('otel-async/') && Object.hasOwn(this.#plugin.rules, ruleId.slice('otel-async/'.length));
  }

  docsUrl(ruleId: string): string | undefined {
    return this.#docsUrls.get(ruleId);
  }

  /** The config for these settings, and the problems found building it (each reported once by the caller). */
  configFor(settings: ResolvedSettings): BuiltConfig {
    const key = settingsKey(settings);
    let built = this.#configs.get(key);
    if (!built) {
      built = this.#build(settings);
      for (const problem of built.problems) this.#reportProblem(problem);
      // Distinct settings are few (one per workspace folder); the bound only guards against churn.
      if (this.#configs.size > 50) this.#configs.clear();
      this.#configs.set(key, built);
    }
    return built;
  }

  lint(text: string, filename: string, settings: ResolvedSettings): LintRun {
    const built = this.configFor(settings);
    const messages = this.#linter.verify(text, built.config, { filename });
    return { messages, docsUrl: (ruleId) => this.docsUrl(ruleId), editorSeverities: built.editorSeverities };
  }

  fix(text: string, filename: string, settings: ResolvedSettings): FixRun {
    const built = this.configFor(settings);
    // ESLint accepts a predicate for `fix` (documented for Linter#verifyAndFix); its typings say boolean.
    const fix = isRuleFix as unknown as boolean;
    const result = this.#linter.verifyAndFix(text, built.config, { filename, fix });
    return { output: result.output, fixed: result.fixed, messages: result.messages };
  }

  #build(settings: ResolvedSettings): BuiltConfig {
    const problems: string[] = [];
    const base = this.#plugin.configs.recommended;
    const levels: Record<string, Linter.RuleSeverity> = {};
    for (const config of base) {
      for (const [id, entry] of Object.entries(config.rules ?? {})) {
        const level = Array.isArray(entry) ? entry[0] : entry;
        if (level !== undefined) levels[id] = level;
      }
    }
    const editorSeverities: Record<string, RuleSeverity> = {};
    for (const [id, severity] of Object.entries(settings.rules)) {
      if (!this.hasRule(id)) {
        problems.push(`otelAsync.rules names an unknown rule "${id}"; ignored.`);
        continue;
      }
      levels[id] = eslintLevel(severity);
      editorSeverities[id] = severity;
    }
    if (!settings.showSyntaxErrors) levels[SYNTAX_ERROR_RULE] = 'off';

    const rules: Linter.RulesRecord = {};
    for (const [id, level] of Object.entries(levels)) {
      const options = settings.ruleOptions[id];
      if (options === undefined || level === 'off' || level === 0) {
        rules[id] = level;
        continue;
      }
      const withOptions: Linter.RuleEntry = [level, ...options];
      const invalid = this.#optionsProblem(id, withOptions);
      if (invalid === undefined) {
        rules[id] = withOptions;
      } else {
        problems.push(`otelAsync.ruleOptions["${id}"] is invalid, so the rule runs with its default options: ${invalid}`);
        rules[id] = level;
      }
    }
    for (const id of Object.keys(settings.ruleOptions)) {
      if (!this.hasRule(id)) problems.push(`otelAsync.ruleOptions names an unknown rule "${id}"; ignored.`);
    }
    const editorConfig: Linter.Config = { name: 'otel-async/editor-settings', files: PYTHON_FILES, rules };
    return { config: [...base, editorConfig], problems, editorSeverities };
  }

  /** ESLint validates options against the rule's schema when a config is used: try them on an empty file. */
  #optionsProblem(id: string, entry: Linter.RuleEntry): string | undefined {
    try {
      this.#linter.verify('', [...this.#plugin.configs.recommended, { files: PYTHON_FILES, rules: { [id]: entry } }], { filename: 'options.py' });
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error);
    }
  }
}
