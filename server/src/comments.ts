/**
 * The languages this server lints, by LSP languageId: each one's line comment token and the file
 * extensions ESLint's config globs expect. A language that is not listed is neither linted nor given
 * "disable" actions: a guessed `//` in a Python file, or `#` in a TypeScript file, is a syntax error.
 */
interface LintedLanguage {
  readonly lineComment: string;
  /** Extensions the document may have on disk, the first one used for documents without one. */
  readonly extensions: readonly string[];
  /** Linted with the plugin's TS/JS rules (`@typescript-eslint/parser`) rather than its Python language. */
  readonly typescriptParser: boolean;
}

const LANGUAGES: Readonly<Record<string, LintedLanguage>> = {
  python: { lineComment: '#', extensions: ['.py', '.pyi'], typescriptParser: false },
  typescript: { lineComment: '//', extensions: ['.ts', '.mts', '.cts'], typescriptParser: true },
  typescriptreact: { lineComment: '//', extensions: ['.tsx'], typescriptParser: true },
  javascript: { lineComment: '//', extensions: ['.js', '.mjs', '.cjs'], typescriptParser: true },
  javascriptreact: { lineComment: '//', extensions: ['.jsx'], typescriptParser: true },
};

function languageOf(languageId: string): LintedLanguage | undefined {
  return Object.hasOwn(LANGUAGES, languageId) ? LANGUAGES[languageId] : undefined;
}

/** The line comment token for a languageId, or undefined when this server does not know it. */
export function lineCommentToken(languageId: string): string | undefined {
  return languageOf(languageId)?.lineComment;
}

/** The languageIds this server lints. */
export function isLintedLanguage(languageId: string): boolean {
  return languageOf(languageId) !== undefined;
}

/** Whether the language is linted with the TS/JS rules (not the Python language). */
export function usesTypescriptParser(languageId: string): boolean {
  return languageOf(languageId)?.typescriptParser === true;
}

/** The name to lint a file under: unchanged when its extension fits the language, else with the language's extension added. */
export function withLanguageExtension(name: string, languageId: string): string {
  const extensions = languageOf(languageId)?.extensions ?? ['.py'];
  return extensions.some((extension) => name.endsWith(extension)) ? name : `${name}${extensions[0] ?? '.py'}`;
}
