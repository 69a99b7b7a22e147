import type { TextEdit } from 'vscode-languageserver';
import type { Linting } from '../lint';
import { TextPositions } from '../positions';
import type { DocumentSnapshot } from '../session';
import { disableFileEdit, disableNextLineEdit, disableSameLineEdit, type DisableScope } from './disable';
import { baseline, silencesRule } from './verify';

/**
 * The disable-comment edit for a rule at a line, checked by linting the result: the first candidate
 * that silences the rule without adding a syntax error wins. For a line that is the first line of the
 * diagnostic: a comment line above it, else a comment at its end. Undefined when no placement works.
 */
export async function verifiedDisableEdit(
  linting: Linting,
  snapshot: DocumentSnapshot,
  scope: DisableScope,
  line: number,
  ruleId: string,
  token: string,
): Promise<TextEdit | undefined> {
  const positions = new TextPositions(snapshot.text);
  const candidates =
    scope === 'file'
      ? [disableFileEdit(positions, ruleId, token)]
      : [disableNextLineEdit(positions, line, ruleId, token), disableSameLineEdit(positions, line, ruleId, token)];
  const before = await baseline(linting, snapshot);
  for (const edit of candidates) {
    if (edit && (await silencesRule(linting, snapshot, before, edit, ruleId))) return edit;
  }
  return undefined;
}
