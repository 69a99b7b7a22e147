import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, ScopeType, findVariable } from './runtime.js';
import type { TsFile } from './file.js';
import type { QualifiedName } from './imports.js';

/** The module's top-level scope (the module scope for ES modules, else the global scope). */
export function moduleScope(sourceCode: Readonly<TSESLint.SourceCode>): TSESLint.Scope.Scope {
  const global = sourceCode.getScope(sourceCode.ast);
  return global.childScopes.find((scope) => scope.type === ScopeType.module) ?? global;
}

/**
 * A name at module level that refers to `want` (or to a parent of it) and is visible at `at`:
 * returns the expression text that reaches `want`, e.g. `fsp.readFile` for `import fsp from 'fs/promises'`.
 */
export function existingBinding(file: TsFile, want: QualifiedName, at: TSESTree.Node): string | undefined {
  const scope = moduleScope(file.sourceCode);
  const here = file.sourceCode.getScope(at);
  for (const variable of scope.variables) {
    const definition = variable.defs[0];
    if (!definition || variable.defs.length !== 1) continue;
    const name = file.qualified(definition.name);
    if (name?.module !== want.module || name.path.length > want.path.length) continue;
    if (!name.path.every((part, i) => part === want.path[i])) continue;
    if (findVariable(here, variable.name) !== variable) continue;
    return [variable.name, ...want.path.slice(name.path.length)].join('.');
  }
  return undefined;
}

/** Whether `name` is free to declare at module level (not declared anywhere, not used as a global). */
export function isFreeName(sourceCode: Readonly<TSESLint.SourceCode>, name: string): boolean {
  const global = sourceCode.getScope(sourceCode.ast);
  const stack: TSESLint.Scope.Scope[] = [global];
  while (stack.length > 0) {
    const scope = stack.pop() as TSESLint.Scope.Scope;
    if (scope.set.has(name) && scope.set.get(name)?.defs.length) return false;
    if (scope.through.some((reference) => reference.identifier.name === name)) return false;
    stack.push(...scope.childScopes);
  }
  return true;
}

/** Whether the file uses ES module syntax for imports (else CommonJS `require`). */
function usesImports(program: TSESTree.Program): boolean {
  if (program.body.some((statement) => statement.type === AST_NODE_TYPES.ImportDeclaration)) return true;
  const requires = program.body.some(
    (statement) =>
      statement.type === AST_NODE_TYPES.VariableDeclaration &&
      statement.declarations.some((declarator) => declarator.init?.type === AST_NODE_TYPES.CallExpression && declarator.init.callee.type === AST_NODE_TYPES.Identifier && declarator.init.callee.name === 'require'),
  );
  return !requires && program.sourceType === 'module';
}

/**
 * An edit that imports `name` from `source` at the top of the file, in the file's own style (an
 * `import` after the last import, or a `require` after the last top-level require).
 */
export function addNamedImport(sourceCode: Readonly<TSESLint.SourceCode>, source: string, name: string, local = name): (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix {
  const program = sourceCode.ast;
  const eol = sourceCode.text.includes('\r\n') ? '\r\n' : '\n';
  const esm = usesImports(program);
  const specifier = local === name ? name : esm ? `${name} as ${local}` : `${name}: ${local}`;
  const line = esm ? `import { ${specifier} } from '${source}';` : `const { ${specifier} } = require('${source}');`;
  const isImportLike = (statement: TSESTree.ProgramStatement) =>
    esm
      ? statement.type === AST_NODE_TYPES.ImportDeclaration
      : statement.type === AST_NODE_TYPES.VariableDeclaration &&
        statement.declarations.some((declarator) => declarator.init?.type === AST_NODE_TYPES.CallExpression && declarator.init.callee.type === AST_NODE_TYPES.Identifier && declarator.init.callee.name === 'require');
  const last = [...program.body].reverse().find(isImportLike);
  if (last) return (fixer) => fixer.insertTextAfter(last, `${eol}${line}`);
  // Before the first statement, after any directive prologue ('use strict').
  const first = program.body.find((statement) => !(statement.type === AST_NODE_TYPES.ExpressionStatement && statement.directive !== undefined));
  const directive = [...program.body].reverse().find((statement) => statement.type === AST_NODE_TYPES.ExpressionStatement && statement.directive !== undefined);
  if (directive) return (fixer) => fixer.insertTextAfter(directive, `${eol}${line}`);
  if (first) return (fixer) => fixer.insertTextBefore(first, `${line}${eol}`);
  return (fixer) => fixer.insertTextAfterRange([0, 0], `${line}${eol}`);
}
