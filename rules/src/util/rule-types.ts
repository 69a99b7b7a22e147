import type { RuleDefinition, RulesMeta } from '@eslint/core';
import type { PyNode, PyNodeOfType } from '../language/generated/node-types.js';
import type { PythonLanguageOptions } from '../language/python-language.js';
import type { PythonSourceCode } from '../language/python-source-code.js';

/** Extra `meta.docs` fields our rules carry. */
export interface OtelRuleDocs {
  /** In `configs.recommended` (every rule is in `configs.strict`). */
  recommended: boolean;
  [key: string]: unknown;
}

type NodeHandler<T extends PyNode['type']> = (node: PyNodeOfType<T>) => void;

/**
 * Visitor for Python rules: a node type name (or `<type>:exit`) gets a handler typed for that node;
 * any other esquery selector's handler declares the node type it expects (esquery cannot tell us).
 */
export type PythonRuleVisitor = { [T in PyNode['type']]?: NodeHandler<T> } & {
  [T in PyNode['type'] as `${T}:exit`]?: NodeHandler<T>;
  // `any`: ESLint's own RuleVisitor signature; a handler for a complex selector names its node type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
} & Record<string, ((...args: any[]) => void) | undefined>;

export type PythonRule<MessageIds extends string = string, Options extends unknown[] = unknown[]> = RuleDefinition<{
  LangOptions: PythonLanguageOptions;
  Code: PythonSourceCode;
  RuleOptions: Options;
  Visitor: PythonRuleVisitor;
  Node: PyNode;
  MessageIds: MessageIds;
  ExtRuleDocs: OtelRuleDocs;
}>;

export type PythonRuleMeta<MessageIds extends string, Options extends unknown[]> = RulesMeta<
  MessageIds,
  Options,
  OtelRuleDocs
>;

/** One rule id's implementations; a rule that covers Python and TS/JS has both. */
export interface RuleImplementations {
  readonly python?: AnyRule;
  readonly ts?: AnyRule;
}

/** Any rule object, whatever its language's context type (contexts are contravariant). */
export interface AnyRule {
  readonly meta?: unknown;
  create(context: never): unknown;
}
