/** Where a rule's documentation page lives (`rules/docs/<id>.md` in the repository). */
export const REPOSITORY_URL = 'https://github.com/otel-async-lint/otel-async-lint';

export function ruleDocsUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/rules/docs/${ruleId}.md`;
}
