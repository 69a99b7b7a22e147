/** How many names each pattern set remembers the wildcard answer for. */
const MAX_REMEMBERED = 20_000;

/**
 * Patterns over the semantic model's qualified names (`time.sleep`, `requests.Session().get`,
 * `sqlite3.connect().cursor().execute`). A `*` stands for any text inside one dotted segment, call
 * parentheses included, so `redis.Redis().*` matches every method of a Redis client and
 * `pymongo.MongoClient().*.*.find_one` matches `client.db.users.find_one`. Everything else is literal.
 */
export class QualifiedNamePatterns<Value> {
  readonly #exact = new Map<string, Value>();
  readonly #wildcards: { readonly regex: RegExp; readonly value: Value }[] = [];
  readonly #wildcardResults = new Map<string, { readonly value: Value | undefined }>();

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
    if (this.#wildcards.length === 0) return undefined;
    // The same names come back on every call site of every file; testing each against every wildcard
    // was a visible share of a lint. Remembered per name, in a map bounded for long-lived servers.
    const known = this.#wildcardResults.get(name);
    if (known) return known.value;
    const value = this.#wildcards.find((entry) => entry.regex.test(name))?.value;
    if (this.#wildcardResults.size >= MAX_REMEMBERED) this.#wildcardResults.clear();
    this.#wildcardResults.set(name, { value });
    return value;
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
