import { RuleCreator } from './runtime.js';
import { ruleDocsUrl } from '../../util/docs-url.js';

/** `meta.docs` of the TS/JS rules: the fields every otel-async rule carries (see `OtelRuleDocs`). */
export interface TsRuleDocs {
  /** In `configs.recommended` (every rule is in `configs.strict`). */
  recommended: boolean;
  /** Sharper with type information (`parserOptions.projectService`), but never requires it. */
  usesTypeInformation?: boolean;
}

/**
 * Defines a TS/JS rule: typed options and message ids, defaults merged once, docs URL from the rule id.
 * Message ids start with `ts` so that a rule id with a Python implementation too can carry both
 * languages' messages in one `meta.messages`.
 */
export const createTsRule = RuleCreator<TsRuleDocs>(ruleDocsUrl);
