import {
  DEFAULT_SETTINGS,
  RULE_SEVERITIES,
  RUN_MODES,
  SHORTHAND_OPTIONS,
  type ClientSettings,
  type ResolvedSettings,
  type RuleSeverity,
  type RunMode,
} from './protocol';

/**
 * Settings in two layers: {@link ClientSettings} exactly as sent (anything may be wrong in a
 * hand-edited settings.json) and {@link ResolvedSettings}, validated and defaulted once. A bad value
 * never stops linting: it falls back to its default and becomes one line in `problems` for the log.
 */

const RULE_PREFIX = 'otel-async/';

export interface SettingsResolution {
  readonly settings: ResolvedSettings;
  /** One readable sentence per ignored value. */
  readonly problems: readonly string[];
}

/** The full rule id for a settings key: `blocking-call` and `otel-async/blocking-call` both work. */
export function fullRuleId(key: string): string {
  return key.startsWith(RULE_PREFIX) ? key : `${RULE_PREFIX}${key}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSeverity(value: unknown): value is RuleSeverity {
  return RULE_SEVERITIES.includes(value as RuleSeverity);
}

function isRunMode(value: unknown): value is RunMode {
  return RUN_MODES.includes(value as RunMode);
}

export function resolveSettings(raw: unknown): SettingsResolution {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings: DEFAULT_SETTINGS, problems };
  if (!isRecord(raw)) {
    return { settings: DEFAULT_SETTINGS, problems: [`otelAsync settings must be an object, got ${JSON.stringify(raw)}; using the defaults.`] };
  }
  const settings = raw as ClientSettings;

  function boolean(name: keyof ClientSettings, fallback: boolean): boolean {
    const value = settings[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    problems.push(`otelAsync.${name} must be true or false, got ${JSON.stringify(value)}; using ${fallback}.`);
    return fallback;
  }

  let run = DEFAULT_SETTINGS.run;
  if (settings.run !== undefined && settings.run !== null) {
    if (isRunMode(settings.run)) run = settings.run;
    else problems.push(`otelAsync.run must be one of ${RUN_MODES.join(', ')}, got ${JSON.stringify(settings.run)}; using ${run}.`);
  }

  const rules: Record<string, RuleSeverity> = {};
  if (isRecord(settings.rules)) {
    for (const [key, value] of Object.entries(settings.rules)) {
      if (isSeverity(value)) rules[fullRuleId(key)] = value;
      else problems.push(`otelAsync.rules["${key}"] must be one of ${RULE_SEVERITIES.join(', ')}, got ${JSON.stringify(value)}; ignored.`);
    }
  } else if (settings.rules !== undefined && settings.rules !== null) {
    problems.push(`otelAsync.rules must be an object of rule severities, got ${JSON.stringify(settings.rules)}; ignored.`);
  }

  const ruleOptions: Record<string, readonly unknown[]> = {};
  if (isRecord(settings.ruleOptions)) {
    for (const [key, value] of Object.entries(settings.ruleOptions)) {
      // A rule with one options object is written without the array, as in an ESLint config.
      if (Array.isArray(value)) ruleOptions[fullRuleId(key)] = Object.freeze([...(value as unknown[])]);
      else if (isRecord(value)) ruleOptions[fullRuleId(key)] = Object.freeze([value]);
      else problems.push(`otelAsync.ruleOptions["${key}"] must be an options object or array, got ${JSON.stringify(value)}; ignored.`);
    }
  } else if (settings.ruleOptions !== undefined && settings.ruleOptions !== null) {
    problems.push(`otelAsync.ruleOptions must be an object keyed by rule id, got ${JSON.stringify(settings.ruleOptions)}; ignored.`);
  }

  // Shorthands fill one option of one rule, on top of what ruleOptions says for that rule.
  for (const [name, { rule, option }] of Object.entries(SHORTHAND_OPTIONS) as [keyof typeof SHORTHAND_OPTIONS, (typeof SHORTHAND_OPTIONS)[keyof typeof SHORTHAND_OPTIONS]][]) {
    const value = settings[name];
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) {
      problems.push(`otelAsync.${name} must be a list of non-empty strings, got ${JSON.stringify(value)}; ignored.`);
      continue;
    }
    if (value.length === 0) continue;
    const [first, ...rest] = ruleOptions[rule] ?? [];
    ruleOptions[rule] = Object.freeze([{ ...(isRecord(first) ? first : {}), [option]: [...(value as string[])] }, ...rest]);
  }

  let workspaceFolder: string | undefined;
  if (typeof settings.workspaceFolder === 'string' && settings.workspaceFolder !== '') workspaceFolder = settings.workspaceFolder;

  return {
    settings: Object.freeze({
      enable: boolean('enable', DEFAULT_SETTINGS.enable),
      run,
      rules: Object.freeze(rules),
      ruleOptions: Object.freeze(ruleOptions),
      showSyntaxErrors: boolean('showSyntaxErrors', DEFAULT_SETTINGS.showSyntaxErrors),
      useWorkspaceConfig: boolean('useWorkspaceConfig', DEFAULT_SETTINGS.useWorkspaceConfig),
      workspaceTrusted: boolean('workspaceTrusted', DEFAULT_SETTINGS.workspaceTrusted),
      workspaceFolder,
    }),
    problems,
  };
}
