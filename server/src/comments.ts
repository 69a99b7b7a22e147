/**
 * The line comment token of each language this server lints, by LSP languageId. A language that is
 * not listed gets no "disable" actions at all: a guessed `//` in a Python file is a syntax error.
 */
const LINE_COMMENT_BY_LANGUAGE: Readonly<Record<string, string>> = {
  python: '#',
};

/** The line comment token for a languageId, or undefined when this server does not know it. */
export function lineCommentToken(languageId: string): string | undefined {
  return Object.hasOwn(LINE_COMMENT_BY_LANGUAGE, languageId) ? LINE_COMMENT_BY_LANGUAGE[languageId] : undefined;
}

/** The languageIds this server lints. */
export function isLintedLanguage(languageId: string): boolean {
  return languageId === 'python';
}
