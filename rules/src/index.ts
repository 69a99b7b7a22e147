import { createRequire } from 'node:module';
import type { RuleDefinition } from '@eslint/core';
import type { ESLint, Linter } from 'eslint';
import { ruleImplementations } from './build/rules.js';
import { pythonGrammarReady } from './language/grammar.js';
import { pythonLanguage } from './language/python-language.js';
import { ruleFor } from './ts/utils/combine-rules.js';
import { typescriptParser } from './ts/utils/lazy-parser.js';
import type { AnyRule } from './util/rule-types.js';

const { name, version } = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

export const NAMESPACE = 'otel-async';

/** Resolves when the plugin can lint (the Python grammar is loaded); rejects with the loading error. */
export const ready: Promise<void> = pythonGrammarReady;

// Hosts that `import` the plugin get a ready plugin: ESLint's Language#parse() is synchronous.
await ready;

// An id implemented in Python and TS/JS is one rule that dispatches on the file's language.
export const rules: Record<string, RuleDefinition> = Object.fromEntries(
  Object.entries(ruleImplementations).map(([id, implementations]) => [id, ruleFor(id, implementations)]),
);

function ruleLevels(include: (rule: RuleDefinition, id: string) => boolean, ids: Iterable<string>): Linter.RulesRecord {
  const levels: Linter.RulesRecord = {};
  for (const id of ids) {
    const rule = rules[id];
    if (rule && include(rule, id)) levels[`${NAMESPACE}/${id}`] = 'error';
  }
  return levels;
}

const pythonRuleIds = Object.entries(ruleImplementations)
  .filter(([, implementations]) => implementations.python)
  .map(([id]) => id);

const tsRuleIds = Object.entries(ruleImplementations)
  .filter(([, implementations]) => implementations.ts)
  .map(([id]) => id);

/** Whether one language's implementation of an id is recommended (a combined rule is if either is). */
function recommendedIn(language: 'python' | 'ts'): (rule: RuleDefinition, id: string) => boolean {
  return (_rule, id) => {
    const implementation: AnyRule | undefined = ruleImplementations[id]?.[language];
    return (implementation?.meta as { docs?: { recommended?: boolean } } | undefined)?.docs?.recommended === true;
  };
}

const plugin = {
  meta: { name, version, namespace: NAMESPACE },
  languages: { python: pythonLanguage },
  rules,
  configs: {} as Record<'recommended' | 'strict', Linter.Config[]>,
  ready,
};

function pythonConfig(level: 'recommended' | 'strict', include: (rule: RuleDefinition, id: string) => boolean): Linter.Config {
  return {
    name: `${NAMESPACE}/python/${level}`,
    files: ['**/*.py', '**/*.pyi'],
    plugins: { [NAMESPACE]: plugin as unknown as ESLint.Plugin },
    language: `${NAMESPACE}/python`,
    rules: ruleLevels(include, pythonRuleIds),
  };
}

/**
 * The TS/JS rules, with `@typescript-eslint/parser` for these files only (it also parses plain JS).
 * Nothing else is set: the user's own rules, parser options (`projectService` for type-aware linting)
 * and settings apply unchanged.
 */
function tsConfig(level: 'recommended' | 'strict', include: (rule: RuleDefinition, id: string) => boolean): Linter.Config {
  return {
    name: `${NAMESPACE}/ts/${level}`,
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    plugins: { [NAMESPACE]: plugin as unknown as ESLint.Plugin },
    languageOptions: { parser: typescriptParser },
    rules: ruleLevels(include, tsRuleIds),
  };
}

plugin.configs.recommended = [pythonConfig('recommended', recommendedIn('python')), tsConfig('recommended', recommendedIn('ts'))];
plugin.configs.strict = [pythonConfig('strict', () => true), tsConfig('strict', () => true)];

export const configs = plugin.configs;
export const languages = plugin.languages;
export const meta = plugin.meta;
export default plugin;
