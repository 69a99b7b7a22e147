import type { TextEdit } from 'vscode-languageserver';
import { minimalEdits } from '../diff';
import type { Linting } from '../lint';
import type { DocumentSnapshot } from '../session';
import { baseline, countSyntaxErrors, withSyntaxErrors } from './verify';

export type FixAllResult = { readonly edits: TextEdit[] } | { readonly refused: string };

/**
 * Every autofix of the document (suggestions never: they may change meaning), applied by ESLint to a
 * fixed point and sent as the minimal edits between the two texts. A result with more syntax errors
 * than the input is refused, so fix-on-save can never break a file.
 */
export async function fixAllEdits(linting: Linting, snapshot: DocumentSnapshot): Promise<FixAllResult> {
  const checked = withSyntaxErrors(snapshot);
  const result = await linting.fix(checked);
  if (!result.fixed || result.output === snapshot.text) return { edits: [] };
  const syntaxErrorsAfter = countSyntaxErrors(result.messages);
  if (syntaxErrorsAfter > 0) {
    const before = countSyntaxErrors((await baseline(linting, snapshot)).messages);
    if (syntaxErrorsAfter > before) {
      return { refused: `the fixes would add ${syntaxErrorsAfter - before} syntax error(s), so none was applied` };
    }
  }
  return { edits: minimalEdits(snapshot.text, result.output) };
}
