import { Linter } from 'eslint';
import { usesTypescriptParser } from './comments';
import type { ResolvedSettings, RuleSeverity } from './protocol';
import type { OtelPlugin } from './plugin';
import { typeInformationRoot } from './type-information';

/**
 * The built-in engine: ESLint's `Linter`, in-process, with the bundled plugin's recommended config plus
 * the editor settings. No workspace code runs, so it is what untrusted workspaces and files without a
 * workspace config get. It is the same Linter `npx eslint` runs. TS/JS documents are linted
 * syntactically, or with type information from the workspace's `tsconfig.json` in a trusted workspace.
 */

export const PYTHON_FILES = ['**/*.py', '**/*.pyi'];
/** The plugin's TS/JS glob, plus `.jsx` (the editor lints `javascriptreact` documents too). */
export const TS_FILES = ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}', '**/*.jsx'];
export const SYNTAX_ERROR_RULE = 'otel-async/syntax-error';

/** What is linted: the name ESLint matches configs against, the file on disk (if any), the language. */
export interface LintTarget {
  readonly filename: string;
  readonly filePath: string | undefined;
  readonly languageId: string;
}

/** The result of linting one text. */
export interface LintRun {
  readonly messages: readonly Linter.LintMessage[];
  /** The rule's documentation page, when its meta has one. */
  readonly docsUrl: (ruleId: string) => string | undefined;
  /** Editor severity overrides (`info`), keyed by full rule id. */
  readonly editorSeverities: Readonly<Record<string, RuleSeverity>>;
  /** Whether the rules had type information (a TS/JS file in a trusted workspace with a tsconfig.json). */
  readonly typed?: boolean;
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
  readonly #warn: (warning: string) => void;
  /** Linters for type-aware linting, by workspace folder: a file outside a Linter's cwd matches no config. */
  readonly #typedLinters = new Map<string, Linter>();
  readonly #warned = new Set<string>();
  /** Undefined until the first TS/JS document; then why the TypeScript parser cannot be used, or '' when it can. */
  #typescriptUnavailable: string | undefined;

  /**
   * `reportProblem` hears about each settings problem once per distinct settings (they are cached);
   * `warn` about each distinct engine problem once (the TypeScript parser missing, type information failing).
   */
  constructor(plugin: OtelPlugin, reportProblem: (problem: string) => void = () => undefined, warn: (warning: string) => void = () => undefined) {
    this.#plugin = plugin;
    this.#reportProblem = reportProblem;
    this.#warn = warn;
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

  lint(text: string, target: LintTarget, settings: ResolvedSettings): LintRun {
    const built = this.configFor(settings);
    const editor = { docsUrl: (ruleId: string) => this.docsUrl(ruleId), editorSeverities: built.editorSeverities };
    if (!usesTypescriptParser(target.languageId)) return { messages: this.#linter.verify(text, built.config, { filename: target.filename }), ...editor };
    if (!this.#typescriptAvailable(built.config)) return { messages: [], ...editor };
    const typed = this.#typedLinter(target, settings);
    if (typed) {
      const messages = typed.linter.verify(text, typed.config, { filename: typed.filePath });
      if (this.#typedLintWorked(messages, typed.filePath)) return { messages, ...editor, typed: true };
    }
    return { messages: this.#linter.verify(text, built.config, { filename: target.filename }), ...editor };
  }

  fix(text: string, target: LintTarget, settings: ResolvedSettings): FixRun {
    const built = this.configFor(settings);
    // ESLint accepts a predicate for `fix` (documented for Linter#verifyAndFix); its typings say boolean.
    const fix = isRuleFix as unknown as boolean;
    if (usesTypescriptParser(target.languageId)) {
      if (!this.#typescriptAvailable(built.config)) return { output: text, fixed: false, messages: [] };
      const typed = this.#typedLinter(target, settings);
      if (typed) {
        const result = typed.linter.verifyAndFix(text, typed.config, { filename: typed.filePath, fix });
        if (this.#typedLintWorked(result.messages, typed.filePath)) return { output: result.output, fixed: result.fixed, messages: result.messages };
      }
    }
    const result = this.#linter.verifyAndFix(text, built.config, { filename: target.filename, fix });
    return { output: result.output, fixed: result.fixed, messages: result.messages };
  }

  /**
   * Whether the TypeScript parser loads (it is loaded lazily by the plugin, and a bundle may lack it).
   * Probed once by linting an empty TS file: ESLint turns a parser that cannot load into a fatal message,
   * which is logged once; TS/JS documents then get no diagnostics instead of a "Parsing error" on line 1.
   */
  #typescriptAvailable(config: Linter.Config[]): boolean {
    if (this.#typescriptUnavailable === undefined) {
      const fatal = this.#linter.verify('', config, { filename: 'probe.ts' }).find((message) => message.fatal === true);
      this.#typescriptUnavailable = fatal ? fatal.message : '';
      if (fatal) this.#warnOnce(`TypeScript and JavaScript files are not linted: the TypeScript parser could not be loaded (${fatal.message}).`);
    }
    return this.#typescriptUnavailable === '';
  }

  /** The Linter and config with `projectService` for a file under a trusted workspace folder with a tsconfig.json. */
  #typedLinter(target: LintTarget, settings: ResolvedSettings): { linter: Linter; config: Linter.Config[]; filePath: string } | undefined {
    const root = typeInformationRoot(target.filePath, settings);
    if (root === undefined || target.filePath === undefined) return undefined;
    let linter = this.#typedLinters.get(root);
    if (!linter) {
      linter = new Linter({ configType: 'flat', cwd: root });
      this.#typedLinters.set(root, linter);
    }
    const typeAware: Linter.Config = {
      name: 'otel-async/editor-type-information',
      files: TS_FILES,
      languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    };
    return { linter, config: [...this.configFor(settings).config, typeAware], filePath: target.filePath };
  }

  /**
   * A fatal message from a type-aware lint (typically: the file is not part of the tsconfig's project)
   * sends the document back to syntactic linting; a real syntax error is then reported by that lint.
   */
  #typedLintWorked(messages: readonly Linter.LintMessage[], filePath: string): boolean {
    const fatal = messages.find((message) => message.fatal === true);
    if (!fatal) return true;
    this.#warnOnce(`Linting ${filePath} without type information: ${fatal.message.replace(/\s+/g, ' ').trim()}`);
    return false;
  }

  #warnOnce(warning: string): void {
    if (this.#warned.has(warning)) return;
    if (this.#warned.size > 200) this.#warned.clear();
    this.#warned.add(warning);
    this.#warn(warning);
  }

  #build(settings: ResolvedSettings): BuiltConfig {
    const problems: string[] = [];
    const base = this.#plugin.configs.recommended;
    // Levels per language block, so a rule recommended for Python only stays off in TS files.
    const pythonLevels: Record<string, Linter.RuleSeverity> = {};
    const tsLevels: Record<string, Linter.RuleSeverity> = {};
    for (const config of base) {
      const levels = isTypescriptBlock(config) ? tsLevels : pythonLevels;
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
      // A setting names a rule for every language it has (the rule does nothing in a language without it).
      pythonLevels[id] = eslintLevel(severity);
      tsLevels[id] = eslintLevel(severity);
      editorSeverities[id] = severity;
    }
    if (!settings.showSyntaxErrors) pythonLevels[SYNTAX_ERROR_RULE] = 'off';

    const pythonRules = this.#withOptions(pythonLevels, settings, problems);
    const tsRules = this.#withOptions(tsLevels, settings, []);
    for (const id of Object.keys(settings.ruleOptions)) {
      if (!this.hasRule(id)) problems.push(`otelAsync.ruleOptions names an unknown rule "${id}"; ignored.`);
    }
    const tsBlock = base.find(isTypescriptBlock);
    const editorConfigs: Linter.Config[] = [{ name: 'otel-async/editor-settings', files: PYTHON_FILES, rules: pythonRules }];
    if (tsBlock) {
      // The plugin's TS block covers every TS/JS extension but .jsx; the editor lints javascriptreact too.
      editorConfigs.push(
        { ...tsBlock, name: 'otel-async/editor-jsx', files: ['**/*.jsx'] },
        { name: 'otel-async/editor-settings-ts', files: TS_FILES, rules: tsRules },
      );
    }
    return { config: [...base, ...editorConfigs], problems, editorSeverities };
  }

  /** Rule entries with the settings' options; invalid options become a problem and the rule keeps its defaults. */
  #withOptions(levels: Readonly<Record<string, Linter.RuleSeverity>>, settings: ResolvedSettings, problems: string[]): Linter.RulesRecord {
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
    return rules;
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

/** The plugin's TS/JS block: the one that sets a parser (the Python block sets a language instead). */
function isTypescriptBlock(config: Linter.Config): boolean {
  return config.languageOptions?.parser !== undefined;
}
