import type { Linter } from 'eslint';
import type { TextEdit } from 'vscode-languageserver';
import { applyEdits } from '../diff';
import { SYNTAX_ERROR_RULE } from '../engine';
import type { Linting } from '../lint';
import type { DocumentSnapshot } from '../session';

/**
 * Edits the server makes itself (disable comments, fix-all) are linted before they are offered: an
 * edit that adds a syntax error, or a disable comment that does not silence its rule (it landed inside
 * a string or after a line continuation), is never sent to the editor.
 */

/** The snapshot's settings with syntax errors reported, whatever the user chose to display. */
export function withSyntaxErrors(snapshot: DocumentSnapshot, text = snapshot.text): DocumentSnapshot {
  return { ...snapshot, text, settings: { ...snapshot.settings, showSyntaxErrors: true } };
}

export function countRule(messages: readonly Linter.LintMessage[], ruleId: string): number {
  return messages.filter((message) => message.ruleId === ruleId).length;
}

/** Syntax errors: the Python language's recovered errors and a parser's fatal error (TS/JS files). */
export function countSyntaxErrors(messages: readonly Linter.LintMessage[]): number {
  return messages.filter((message) => message.ruleId === SYNTAX_ERROR_RULE || message.fatal === true).length;
}

export interface Baseline {
  readonly messages: readonly Linter.LintMessage[];
}

export async function baseline(linting: Linting, snapshot: DocumentSnapshot): Promise<Baseline> {
  return { messages: (await linting.run(withSyntaxErrors(snapshot))).run.messages };
}

/** True when the edit silences `ruleId` somewhere and adds no syntax error. */
export async function silencesRule(linting: Linting, snapshot: DocumentSnapshot, before: Baseline, edit: TextEdit, ruleId: string): Promise<boolean> {
  const text = applyEdits(snapshot.text, [edit]);
  const after = (await linting.run(withSyntaxErrors(snapshot, text))).run.messages;
  return countRule(after, ruleId) < countRule(before.messages, ruleId) && countSyntaxErrors(after) <= countSyntaxErrors(before.messages);
}
