import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { DiagnosticData } from '../lint';
import { DIAGNOSTIC_SOURCE, SERVER_COMMANDS, type FixAllCommandArguments } from '../protocol';
import type { DisableScope } from './disable';
import { fixActions } from './quick-fix';
import { showDocsAction } from './show-docs';
import type { ClientCapabilities } from 'vscode-languageserver';

/** What a disable action carries until `codeAction/resolve` computes (and checks) its edit. */
export interface DisableActionData {
  readonly kind: 'disable';
  readonly scope: DisableScope;
  readonly uri: string;
  readonly version: number;
  readonly ruleId: string;
  /** 0-based line of the diagnostic's start. */
  readonly line: number;
}

export function isDisableActionData(value: unknown): value is DisableActionData {
  const data = value as Partial<DisableActionData> | null | undefined;
  return (
    typeof data === 'object' &&
    data !== null &&
    data.kind === 'disable' &&
    (data.scope === 'line' || data.scope === 'file') &&
    typeof data.uri === 'string' &&
    typeof data.version === 'number' &&
    typeof data.ruleId === 'string' &&
    typeof data.line === 'number'
  );
}

function isDiagnosticData(value: unknown): value is DiagnosticData {
  const data = value as Partial<DiagnosticData> | null | undefined;
  return typeof data === 'object' && data !== null && typeof data.version === 'number' && (typeof data.ruleId === 'string' || data.ruleId === null);
}

/** Our diagnostics among the request's, with their data. */
export function ownDiagnostics(diagnostics: readonly Diagnostic[]): { diagnostic: Diagnostic; data: DiagnosticData }[] {
  const own: { diagnostic: Diagnostic; data: DiagnosticData }[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source === DIAGNOSTIC_SOURCE && isDiagnosticData(diagnostic.data)) own.push({ diagnostic, data: diagnostic.data });
  }
  return own;
}

export interface QuickFixRequest {
  readonly uri: string;
  readonly version: number;
  readonly diagnostics: readonly Diagnostic[];
  readonly capabilities: ClientCapabilities;
  /** The comment token of the document's language; no disable actions without one. */
  readonly commentToken: string | undefined;
}

/**
 * The quick fixes for the request's diagnostics, in the order the menu shows them: every rule fix and
 * suggestion first, then "fix all", then per rule "disable for this line", "disable for this file" and
 * "show documentation". Fixes made for another document version are left out (their offsets moved).
 */
export function quickFixes(request: QuickFixRequest): CodeAction[] {
  const own = ownDiagnostics(request.diagnostics);
  const fixes: CodeAction[] = [];
  const rest: CodeAction[] = [];
  const seen = new Set<string>();
  const fixable: Diagnostic[] = [];
  for (const { diagnostic, data } of own) {
    if (data.version === request.version) {
      fixes.push(...fixActions(diagnostic, data, request.uri, request.capabilities));
      if (data.fix !== undefined) fixable.push(diagnostic);
    }
    const ruleId = data.ruleId;
    if (ruleId === null) continue;
    const line = diagnostic.range.start.line;
    if (request.commentToken !== undefined && !seen.has(`line:${ruleId}:${line}`)) {
      seen.add(`line:${ruleId}:${line}`);
      rest.push(disableAction(diagnostic, 'line', { kind: 'disable', scope: 'line', uri: request.uri, version: request.version, ruleId, line }));
    }
    if (request.commentToken !== undefined && !seen.has(`file:${ruleId}`)) {
      seen.add(`file:${ruleId}`);
      rest.push(disableAction(diagnostic, 'file', { kind: 'disable', scope: 'file', uri: request.uri, version: request.version, ruleId, line }));
    }
    if (!seen.has(`docs:${ruleId}`)) {
      seen.add(`docs:${ruleId}`);
      const docs = showDocsAction(diagnostic, ruleId);
      if (docs) rest.push(docs);
    }
  }
  if (fixable.length > 0) {
    const args: FixAllCommandArguments = { uri: request.uri, version: request.version };
    const title = 'Fix all auto-fixable problems';
    // With its diagnostics, VS Code lists it next to the fixes rather than after every other action.
    fixes.push({ title, kind: CodeActionKind.QuickFix, diagnostics: fixable, command: { title, command: SERVER_COMMANDS.fixAll, arguments: [args] } });
  }
  return [...fixes, ...rest];
}

function disableAction(diagnostic: Diagnostic, scope: DisableScope, data: DisableActionData): CodeAction {
  return {
    title: scope === 'line' ? `Disable ${data.ruleId} for this line` : `Disable ${data.ruleId} for the entire file`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    data,
  };
}
