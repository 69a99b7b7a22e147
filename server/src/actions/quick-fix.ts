import { CodeActionKind, type CodeAction, type ClientCapabilities, type Diagnostic } from 'vscode-languageserver';
import type { DiagnosticData } from '../lint';
import { documentEdit } from './workspace-edit';

/** The rule's own fix (preferred) and one action per suggestion, straight from the diagnostic's data. */
export function fixActions(diagnostic: Diagnostic, data: DiagnosticData, uri: string, capabilities: ClientCapabilities): CodeAction[] {
  const actions: CodeAction[] = [];
  const rule = data.ruleId ?? 'eslint';
  if (data.fix) {
    actions.push({
      title: data.ruleId === null ? `Fix: ${typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value}` : `Fix this ${rule} problem`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: documentEdit(capabilities, uri, data.version, [data.fix]),
    });
  }
  for (const suggestion of data.suggestions ?? []) {
    actions.push({
      title: `${suggestion.title} (${rule})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: documentEdit(capabilities, uri, data.version, [suggestion.edit]),
    });
  }
  return actions;
}
