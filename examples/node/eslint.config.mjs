// A user's whole ESLint config for linting a Node service with otel-async: the recommended config
// lints .ts/.js/.mjs/.cjs files with @typescript-eslint/parser (and .py files with the Python rules).
import otelAsync from 'eslint-plugin-otel-async';

export default [...otelAsync.configs.recommended];
