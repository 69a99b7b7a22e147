import { createRequire } from 'node:module';
import type { RuleDefinition } from '@eslint/core';
import type { ESLint, Linter } from 'eslint';
import { ruleImplementations } from './build/rules.js';
import { pythonGrammarReady } from './language/grammar.js';
import { pythonLanguage } from './language/python-language.js';
import type { RuleImplementations } from './util/rule-types.js';

const { name, version } = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

export const NAMESPACE = 'otel-async';

/** Resolves when the plugin can lint (the Python grammar is loaded); rejects with the loading error. */
export const ready: Promise<void> = pythonGrammarReady;

// Hosts that `import` the plugin get a ready plugin: ESLint's Language#parse() is synchronous.
await ready;

function ruleFor(implementations: RuleImplementations): RuleDefinition {
  const rule = implementations.python ?? implementations.ts;
  if (!rule) throw new Error('a rule table entry without an implementation');
  return rule as unknown as RuleDefinition;
}

export const rules: Record<string, RuleDefinition> = Object.fromEntries(
  Object.entries(ruleImplementations).map(([id, implementations]) => [id, ruleFor(implementations)]),
);

function isRecommended(rule: RuleDefinition): boolean {
  return rule.meta?.docs?.recommended === true;
}

function ruleLevels(include: (rule: RuleDefinition) => boolean, ids: Iterable<string>): Linter.RulesRecord {
  const levels: Linter.RulesRecord = {};
  for (const id of ids) {
    const rule = rules[id];
    if (rule && include(rule)) levels[`${NAMESPACE}/${id}`] = 'error';
  }
  return levels;
}

const pythonRuleIds = Object.entries(ruleImplementations)
  .filter(([, implementations]) => implementations.python)
  .map(([id]) => id);

const plugin = {
  meta: { name, version, namespace: NAMESPACE },
  languages: { python: pythonLanguage },
  rules,
  configs: {} as Record<'recommended' | 'strict', Linter.Config[]>,
  ready,
};

function pythonConfig(level: 'recommended' | 'strict', include: (rule: RuleDefinition) => boolean): Linter.Config {
  return {
    name: `${NAMESPACE}/python/${level}`,
    files: ['**/*.py', '**/*.pyi'],
    plugins: { [NAMESPACE]: plugin as unknown as ESLint.Plugin },
    language: `${NAMESPACE}/python`,
    rules: ruleLevels(include, pythonRuleIds),
  };
}

plugin.configs.recommended = [pythonConfig('recommended', isRecommended)];
plugin.configs.strict = [pythonConfig('strict', () => true)];

export const configs = plugin.configs;
export const languages = plugin.languages;
export const meta = plugin.meta;
export default plugin;
