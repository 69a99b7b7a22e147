/**
 * Patterns over the semantic model's qualified names (`time.sleep`, `requests.Session().get`,
 * `sqlite3.connect().cursor().execute`). A `*` stands for any text inside one dotted segment, call
 * parentheses included, so `redis.Redis().*` matches every method of a Redis client and
 * `pymongo.MongoClient().*.*.find_one` matches `client.db.users.find_one`. Everything else is literal.
 */
export class QualifiedNamePatterns<Value> {
  readonly #exact = new Map<string, Value>();
  readonly #wildcards: { readonly regex: RegExp; readonly value: Value }[] = [];

  constructor(entries: Iterable<readonly [pattern: string, value: Value]>) {
    for (const [pattern, value] of entries) {
      if (!pattern.includes('*')) {
        // The first entry for a name wins, as it does for wildcards.
        if (!this.#exact.has(pattern)) this.#exact.set(pattern, value);
        continue;
      }
      this.#wildcards.push({ regex: patternToRegex(pattern), value });
    }
  }

  /** The value of the first pattern that matches `name` (exact names before wildcards). */
  match(name: string): Value | undefined {
    if (this.#exact.has(name)) return this.#exact.get(name);
    return this.#wildcards.find((entry) => entry.regex.test(name))?.value;
  }

  has(name: string): boolean {
    return this.match(name) !== undefined;
  }
}

function patternToRegex(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'))
    .join('[^.]*');
  return new RegExp(`^${source}$`, 'u');
}
