// A user's whole ESLint config for linting Python with otel-async.
import otelAsync from 'eslint-plugin-otel-async';

export default [...otelAsync.configs.recommended];
