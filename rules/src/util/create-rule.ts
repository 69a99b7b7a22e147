import type { RuleContext } from '@eslint/core';
import { ruleDocsUrl } from './docs-url.js';
import type { PythonRule, PythonRuleMeta, PythonRuleVisitor } from './rule-types.js';

type MetaWithoutUrl<MessageIds extends string, Options extends unknown[]> = Omit<PythonRuleMeta<MessageIds, Options>, 'docs'> & {
  docs: Omit<NonNullable<PythonRuleMeta<MessageIds, Options>['docs']>, 'url'>;
};

/** The context a Python rule's `create` receives. */
export type PythonRuleContext<MessageIds extends string, Options extends unknown[]> = Parameters<
  PythonRule<MessageIds, Options>['create']
>[0] &
  RuleContext;

/**
 * Defines a Python rule: the docs URL comes from the rule's name, and `defaultOptions` are declared
 * once in `meta` (ESLint merges them into `context.options`).
 */
export function createPythonRule<MessageIds extends string, Options extends unknown[] = []>(rule: {
  name: string;
  meta: MetaWithoutUrl<MessageIds, Options>;
  create: (context: PythonRuleContext<MessageIds, Options>) => PythonRuleVisitor;
}): PythonRule<MessageIds, Options> {
  return {
    meta: { ...rule.meta, docs: { ...rule.meta.docs, url: ruleDocsUrl(rule.name) } } as PythonRuleMeta<MessageIds, Options>,
    create: rule.create as PythonRule<MessageIds, Options>['create'],
  };
}
