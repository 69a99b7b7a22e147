import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from './runtime.js';
import { shortText, skipWrappers } from './ast.js';
import type { TsFile } from './file.js';

/** How messages name a call: `sendAudit()`, `fs.readFileSync()`; the root call of a `.then()` chain. */
export function callLabel(file: TsFile, node: TSESTree.Node): string {
  let expression = skipWrappers(node);
  // `work().then(a).catch(b)`: name `work()`, the call whose promise the chain follows.
  while (expression.type === AST_NODE_TYPES.CallExpression) {
    const callee = skipWrappers(expression.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) break;
    if (!['then', 'catch', 'finally'].includes(callee.property.name)) break;
    const inner = skipWrappers(callee.object);
    if (inner.type !== AST_NODE_TYPES.CallExpression && inner.type !== AST_NODE_TYPES.NewExpression) break;
    expression = inner;
  }
  if (expression.type === AST_NODE_TYPES.CallExpression || expression.type === AST_NODE_TYPES.NewExpression) {
    const prefix = expression.type === AST_NODE_TYPES.NewExpression ? 'new ' : '';
    return `${prefix}${shortText(file.text(expression.callee), 50)}()`;
  }
  return shortText(file.text(expression), 50);
}

/** Cheap pre-check: without any of these words a file opens no span regions, and span rules can skip it. */
export function mayOpenSpans(text: string): boolean {
  return text.includes('startActiveSpan') || text.includes('startSpan') || text.includes('.with(');
}
