/**
 * What the client and the server agree on: the settings as VS Code sends them, the custom status
 * notification, command ids and code action kinds. The client bundles this file, so it imports nothing
 * at run time.
 */

/** The configuration section (`otelAsync.*` in settings.json). */
export const SETTINGS_SECTION = 'otelAsync';

/** Editor severity of a rule: ESLint's three levels plus `info`, shown as information in the editor. */
export type RuleSeverity = 'off' | 'info' | 'warn' | 'error';
export const RULE_SEVERITIES: readonly RuleSeverity[] = ['off', 'info', 'warn', 'error'];

/** When documents are linted: on every edit, or when they are opened and saved. */
export type RunMode = 'onType' | 'onSave';
export const RUN_MODES: readonly RunMode[] = ['onType', 'onSave'];

/**
 * The settings of one document's scope exactly as the client sends them: every value may be missing
 * or of the wrong type (a hand-edited settings.json), so the server validates them in `settings.ts`.
 */
export interface ClientSettings {
  enable?: unknown;
  run?: unknown;
  /** Per-rule severity overrides, `{ "<rule-id>": "off" | "info" | "warn" | "error" }`. */
  rules?: unknown;
  /** Per-rule options, `{ "<rule-id>": <options object or array> }`, passed to the rule after its level. */
  ruleOptions?: unknown;
  /** Shorthand for the `extraBlockingCalls` option of `no-blocking-in-span`: qualified names of blocking calls. */
  extraBlockingCalls?: unknown;
  /** Shorthand for the `signals` option of `require-shutdown-flush`: the signals that must flush spans. */
  shutdownSignals?: unknown;
  showSyntaxErrors?: unknown;
  /** Lint with the workspace's `eslint.config.*` when it uses this plugin (trusted workspaces only). */
  useWorkspaceConfig?: unknown;
  /** Added by the VS Code client: whether the workspace is trusted (workspace JavaScript may run). */
  workspaceTrusted?: unknown;
  /** Added by the VS Code client: the file system path of the document's workspace folder. */
  workspaceFolder?: unknown;
}

/** Settings after validation and defaults: what the linter uses. Immutable. */
export interface ResolvedSettings {
  readonly enable: boolean;
  readonly run: RunMode;
  /** Keys are full rule ids (`otel-async/<rule>`). */
  readonly rules: Readonly<Record<string, RuleSeverity>>;
  /** Keys are full rule ids; values are the options array that follows the level in an ESLint config. */
  readonly ruleOptions: Readonly<Record<string, readonly unknown[]>>;
  readonly showSyntaxErrors: boolean;
  readonly useWorkspaceConfig: boolean;
  readonly workspaceTrusted: boolean;
  readonly workspaceFolder: string | undefined;
}

export const DEFAULT_SETTINGS: ResolvedSettings = Object.freeze({
  enable: true,
  run: 'onType',
  rules: Object.freeze({}),
  ruleOptions: Object.freeze({}),
  showSyntaxErrors: true,
  useWorkspaceConfig: true,
  workspaceTrusted: false,
  workspaceFolder: undefined,
});

/** The rules and option names the shorthand settings fill in. */
export const SHORTHAND_OPTIONS = {
  extraBlockingCalls: { rule: 'otel-async/no-blocking-in-span', option: 'extraBlockingCalls' },
  shutdownSignals: { rule: 'otel-async/require-shutdown-flush', option: 'signals' },
} as const;

/** The server's state for the language status item. */
export type ServerState = 'ready' | 'linting' | 'error';

/** `otelAsync/status`: server -> client notification when the state changes. */
export const STATUS_NOTIFICATION = 'otelAsync/status';
export interface StatusParams {
  readonly state: ServerState;
  /** One line for the status item; the details are in the output channel. */
  readonly message: string;
  readonly uri?: string;
}

/** Commands the server executes (`workspace/executeCommand`). Globally unique in VS Code. */
export const SERVER_COMMANDS = {
  /** Arguments: `[{ uri, version }]`. Applies every autofix of the document with `workspace/applyEdit`. */
  fixAll: 'otel-async.server.fixAll',
  /** Arguments: `[url]`. Opens a rule's documentation page with `window/showDocument`. */
  showDocumentation: 'otel-async.server.showDocumentation',
} as const;

export interface FixAllCommandArguments {
  readonly uri: string;
  readonly version: number;
}

/** The code action kind served for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = 'source.fixAll.otel-async';

/** The diagnostics' `source`. */
export const DIAGNOSTIC_SOURCE = 'otel-async';
