import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { SERVER_COMMANDS } from '../protocol';

/** "Show documentation for <rule>", when the diagnostic links to a doc page. */
export function showDocsAction(diagnostic: Diagnostic, ruleId: string): CodeAction | undefined {
  const href = diagnostic.codeDescription?.href;
  if (href === undefined) return undefined;
  const title = `Show documentation for ${ruleId}`;
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title, command: SERVER_COMMANDS.showDocumentation, arguments: [href] },
  };
}

/** Only web pages are opened: a code action must never open a local file or run a scheme handler. */
export function isDocumentationUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
