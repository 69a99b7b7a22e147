// Lints this repository's own TypeScript and tool scripts. The Python examples have their own config
// (examples/eslint.config.mjs), exactly as a user of the plugin would write it.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/out/**', '**/dist/**', '**/node_modules/**', 'rules/src/language/generated/**', 'rules/src/build/**', 'examples/**', 'bench/.work/**', 'test/fixtures/**', 'test/e2e/.work/**', 'test/e2e/fixtures/**', 'test/server/fixtures/**'],
  },
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Tree nodes come from a grammar whose fields may be absent in recovered trees: checks that the
      // types call "unnecessary" are what keeps a broken file from crashing a rule.
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    // node:test's test() returns a promise the runner tracks; awaiting it at top level is noise.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'describe', 'it', 'suite'], package: 'node:test' }] }] },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [tseslint.configs.base, ...tseslint.configs.recommended],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
