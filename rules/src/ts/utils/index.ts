// The TS/JS rules' building blocks, for tests and tools (`eslint-plugin-otel-async/ts-utils`).
export * from './ast.js';
export { ruleFor, withDefaults } from './combine-rules.js';
export * from './edits.js';
export { TsFile } from './file.js';
export * from './imports.js';
export { isPromiseValued, promiseEvidence, promiseFate } from './promises.js';
export * from './spans.js';
export * from './tracing-setup.js';
export { hasMethodsByType, isThenableByType, isTracerByType, typeInfoOf, type TypeInfo } from './types.js';
