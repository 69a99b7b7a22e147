/**
 * The `signals` option of `require-shutdown-flush`, shared by its Python and TS/JS implementations so
 * the merged rule accepts one options object for both languages.
 */
export const SIGNALS_OPTION_SCHEMA = {
  type: 'object',
  properties: {
    signals: {
      type: 'array',
      items: { type: 'string', pattern: '^SIG[A-Z0-9]+$' },
      uniqueItems: true,
      description: 'Signals that stop the program and must flush or shut the span processor down (`[]` for batch jobs that are never stopped).',
    },
  },
  additionalProperties: false,
} as const;

