import { ConfigCommentParser, Directive } from '@eslint/plugin-kit';
import type { FileProblem, RulesConfig } from '@eslint/core';
import type { PyComment } from './node.js';

/**
 * ESLint inline configuration in Python comment syntax. Every Python comment is a line comment, so
 * all four directive kinds apply: `# eslint-disable`, `# eslint-enable`, `# eslint-disable-line`,
 * `# eslint-disable-next-line`, plus `# eslint <rule>: <severity>` rule configuration. A justification
 * follows ` -- `. JavaScript-only directives (`global`, `exported`, `eslint-env`) mean nothing in
 * Python and stay plain comments; so do `# noqa` and `# type:` comments.
 */

const parser = new ConfigCommentParser();

const DISABLE_TYPES = {
  'eslint-disable': 'disable',
  'eslint-enable': 'enable',
  'eslint-disable-line': 'disable-line',
  'eslint-disable-next-line': 'disable-next-line',
} as const;

type DisableLabel = keyof typeof DISABLE_TYPES;

interface ParsedDirective {
  readonly comment: PyComment;
  readonly label: string;
  readonly value: string;
  readonly justification: string;
}

function isDisableLabel(label: string): label is DisableLabel {
  return Object.hasOwn(DISABLE_TYPES, label);
}

/** The directive comments of a file, parsed once and shared by the three SourceCode methods. */
export class PythonDirectives {
  readonly #parsed: ParsedDirective[] = [];

  constructor(comments: readonly PyComment[]) {
    for (const comment of comments) {
      const directive = parser.parseDirective(comment.value);
      if (!directive) continue;
      if (directive.label !== 'eslint' && !isDisableLabel(directive.label)) continue;
      this.#parsed.push({ comment, label: directive.label, value: directive.value, justification: directive.justification });
    }
  }

  /** The comments that configure ESLint (reported when inline config is turned off). */
  inlineConfigNodes(): PyComment[] {
    return this.#parsed.map((directive) => directive.comment);
  }

  disableDirectives(): { problems: FileProblem[]; directives: Directive[] } {
    const directives: Directive[] = [];
    for (const { comment, label, value, justification } of this.#parsed) {
      if (!isDisableLabel(label)) continue;
      directives.push(new Directive({ type: DISABLE_TYPES[label], node: comment, value, justification }));
    }
    return { problems: [], directives };
  }

  inlineConfigs(): { configs: { config: { rules: RulesConfig }; loc: PyComment['loc'] }[]; problems: FileProblem[] } {
    const configs: { config: { rules: RulesConfig }; loc: PyComment['loc'] }[] = [];
    const problems: FileProblem[] = [];
    for (const { comment, label, value } of this.#parsed) {
      if (label !== 'eslint') continue;
      const result = parser.parseJSONLikeConfig(value);
      if (result.ok) {
        configs.push({ config: { rules: result.config }, loc: comment.loc });
      } else {
        problems.push({ ruleId: null, message: result.error.message, loc: comment.loc });
      }
    }
    return { configs, problems };
  }
}
