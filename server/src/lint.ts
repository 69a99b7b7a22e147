import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { DiagnosticSeverity, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { Linter } from 'eslint';
import type { BuiltInEngine, FixRun, LintRun } from './engine';
import { usesTypescriptParser, withLanguageExtension } from './comments';
import { TextPositions } from './positions';
import { DIAGNOSTIC_SOURCE, type RuleSeverity } from './protocol';
import type { DocumentSnapshot } from './session';
import type { WorkspaceConfigs } from './workspace-config';

/**
 * Lints a document snapshot and turns ESLint's messages into LSP diagnostics. Each diagnostic carries
 * its fix and suggestions as LSP edits in `data`, with the document version they belong to, so code
 * actions are built from the request's diagnostics without linting again.
 */

export interface SuggestionData {
  readonly title: string;
  readonly edit: TextEdit;
}

export interface DiagnosticData {
  /** The document version the edits apply to. */
  readonly version: number;
  readonly ruleId: string | null;
  readonly fix?: TextEdit;
  readonly suggestions?: readonly SuggestionData[];
}

export interface LintOutcome {
  readonly diagnostics: Diagnostic[];
  /** Where the config came from, for the log: the built-in config or a workspace config file. */
  readonly configSource: string;
}

/** Text that is not source code: NUL bytes never occur in a Python, TypeScript or JavaScript file. */
export function binaryReason(text: string, languageId: string): string | undefined {
  const nul = text.indexOf('\u0000');
  if (nul === -1) return undefined;
  const language = usesTypescriptParser(languageId) ? 'TypeScript or JavaScript' : 'Python';
  return `the document contains a NUL character (offset ${nul}), so it looks like binary data, not ${language}`;
}

/**
 * The name ESLint sees for a document: a real path for files, a base name otherwise, with the
 * language's extension added when the name lacks it (the config selects rules by extension).
 */
export function lintFilename(uri: string, languageId: string): { filename: string; filePath: string | undefined } {
  const parsed = URI.parse(uri);
  const filename = withLanguageExtension(path.posix.basename(parsed.path) || 'document', languageId);
  if (parsed.scheme !== 'file') return { filename, filePath: undefined };
  return { filename, filePath: withLanguageExtension(parsed.fsPath, languageId) };
}

function severityOf(message: Linter.LintMessage, overrides: Readonly<Record<string, RuleSeverity>>): DiagnosticSeverity {
  if (message.ruleId !== null && overrides[message.ruleId] === 'info') return DiagnosticSeverity.Information;
  return message.severity === 2 ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
}

export function toDiagnostic(message: Linter.LintMessage, run: LintRun, positions: TextPositions, version: number): Diagnostic {
  const start = positions.fromLineColumn(message.line, message.column);
  const end =
    message.endLine !== undefined && message.endColumn !== undefined ? positions.fromLineColumn(message.endLine, message.endColumn) : start;
  const data: DiagnosticData = {
    version,
    ruleId: message.ruleId,
    ...(message.fix ? { fix: positions.editFromEslintFix(message.fix.range, message.fix.text) } : {}),
    ...(message.suggestions && message.suggestions.length > 0
      ? {
          suggestions: message.suggestions.map((suggestion) => ({
            title: suggestion.desc,
            edit: positions.editFromEslintFix(suggestion.fix.range, suggestion.fix.text),
          })),
        }
      : {}),
  };
  const diagnostic: Diagnostic = {
    range: { start, end },
    severity: severityOf(message, run.editorSeverities),
    source: DIAGNOSTIC_SOURCE,
    message: message.message,
    data,
  };
  if (message.ruleId !== null) {
    diagnostic.code = message.ruleId;
    const href = run.docsUrl(message.ruleId);
    if (href !== undefined) diagnostic.codeDescription = { href };
  }
  return diagnostic;
}

export class Linting {
  readonly #builtIn: BuiltInEngine;
  readonly #workspace: WorkspaceConfigs;

  constructor(builtIn: BuiltInEngine, workspace: WorkspaceConfigs) {
    this.#builtIn = builtIn;
    this.#workspace = workspace;
  }

  /** The workspace config that lints this snapshot, when the settings and trust allow one. */
  #workspaceConfig(snapshot: DocumentSnapshot): ReturnType<WorkspaceConfigs['forFile']> {
    const { settings } = snapshot;
    if (!settings.useWorkspaceConfig || !settings.workspaceTrusted) return undefined;
    const { filePath } = lintFilename(snapshot.uri, snapshot.languageId);
    if (filePath === undefined) return undefined;
    return this.#workspace.forFile(filePath, settings);
  }

  /** Lints with the workspace config when it applies, else with the built-in engine. */
  async run(snapshot: DocumentSnapshot): Promise<{ run: LintRun; configSource: string }> {
    const { filename, filePath } = lintFilename(snapshot.uri, snapshot.languageId);
    const workspaceConfig = this.#workspaceConfig(snapshot);
    if (workspaceConfig && filePath !== undefined) {
      const run = await workspaceConfig.lint(snapshot.text, filePath, snapshot.settings);
      if (run) return { run, configSource: workspaceConfig.configFile };
    }
    const run = this.#builtIn.lint(snapshot.text, { filename, filePath, languageId: snapshot.languageId }, snapshot.settings);
    return { run, configSource: run.typed ? 'built-in recommended config, with type information' : 'built-in recommended config' };
  }

  async lint(snapshot: DocumentSnapshot): Promise<LintOutcome> {
    const { run, configSource } = await this.run(snapshot);
    const positions = new TextPositions(snapshot.text);
    return { diagnostics: run.messages.map((message) => toDiagnostic(message, run, positions, snapshot.version)), configSource };
  }

  /** Every autofix of the document applied, to a fixed point (suggestions never). */
  async fix(snapshot: DocumentSnapshot): Promise<FixRun> {
    const { filename, filePath } = lintFilename(snapshot.uri, snapshot.languageId);
    const workspaceConfig = this.#workspaceConfig(snapshot);
    if (workspaceConfig && filePath !== undefined) {
      const fixed = await workspaceConfig.fix(snapshot.text, filePath);
      if (fixed) return fixed;
    }
    return this.#builtIn.fix(snapshot.text, { filename, filePath, languageId: snapshot.languageId }, snapshot.settings);
  }
}
