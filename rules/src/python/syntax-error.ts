import { createPythonRule } from '../util/create-rule.js';

/**
 * Reports the places where the parser had to recover. The language keeps linting the recovered tree
 * (`tolerant: true`), so this rule is how syntax errors reach the user alongside the other findings.
 */
export default createPythonRule<'syntaxError'>({
  name: 'syntax-error',
  meta: {
    type: 'problem',
    docs: {
      description: 'Report Python syntax errors found while linting the recovered tree',
      recommended: true,
    },
    schema: [],
    messages: { syntaxError: '{{message}}' },
  },
  create(context) {
    const { sourceCode } = context;
    return {
      module() {
        for (const problem of sourceCode.syntaxProblems) {
          context.report({
            loc: sourceCode.locationOfRange(problem.range),
            messageId: 'syntaxError',
            data: { message: problem.message },
          });
        }
      },
    };
  },
});
