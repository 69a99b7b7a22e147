import type { TSESLint } from '@typescript-eslint/utils';

// The runtime values the TS rules need from typescript-eslint, taken from its light entry points: the
// `@typescript-eslint/utils` index also loads its ESLint class wrappers and scope manager (~100 ms at
// plugin load here), which the rules never call.
export { AST_NODE_TYPES } from '@typescript-eslint/types';
export { findVariable } from '@typescript-eslint/utils/ast-utils';
export { RuleCreator } from '@typescript-eslint/utils/eslint-utils';

/**
 * The scope manager's enum members we compare with. They are plain strings at runtime; the double cast
 * keeps the enum types (so comparisons type-check) without loading `@typescript-eslint/scope-manager`.
 */
export const DefinitionType = {
  FunctionName: 'FunctionName',
  ImportBinding: 'ImportBinding',
  Variable: 'Variable',
} as unknown as Pick<typeof TSESLint.Scope.DefinitionType, 'FunctionName' | 'ImportBinding' | 'Variable'>;

export const ScopeType = { module: 'module' } as unknown as Pick<typeof TSESLint.Scope.ScopeType, 'module'>;
