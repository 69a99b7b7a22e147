import type { PythonSourceCode } from '../language/python-source-code.js';
import { SemanticModel, type ModelOptions } from './model.js';

export { SemanticModel, ownBodyYields, yieldOwner, type FunctionFacts, type FunctionLike, type ModelOptions, type ModuleIdentity, type NameResolver } from './model.js';
export { Scope, ScopeBuilder, assignedValue, buildScopes, dottedText, isComprehension, scopeNodeOf, type Binding, type BindingKind } from './scope.js';
export { SpanAnalysis, callerChainText, type CallerSpan, type OpenSpan, type SpanScope } from './spans.js';
export { bindingUses, blockStatements, contains, nextStatement, statementOf, type BindingUses } from './uses.js';
export { isTracerName, isTracerProviderName, SPAN_METHODS, USE_SPAN } from './otel.js';
export { freeName, importedNameAt, isNameFree, moduleBindingAt } from './names.js';
export { declaredInstanceName } from './declared-types.js';
export { unpackedValue } from './unpacking.js';
export { callsRunBy, enclosingStatement, isInFinally, startsItsLine, statementsAfter, statementsBefore } from './statements.js';
export { ShutdownAnalysis, isTracerProviderConstruction, keywordArgument, positionalArguments, type BatchingProvider, type EntryPoint, type HandledSignals, type ShutdownFacts } from './shutdown.js';

const models = new WeakMap<object, SemanticModel>();

/**
 * The semantic model of a Python file, built on first use and shared by every rule that lints it
 * (keyed by the AST, which ESLint creates once per lint). `options` (the module's place in its project)
 * are read only when the model is built: rules get their model through the project layer's
 * `getProjectModel(context)`, which passes them; this module-only form is for tests and tools.
 */
export function getSemanticModel(sourceCode: PythonSourceCode, options?: () => ModelOptions): SemanticModel {
  let model = models.get(sourceCode.ast);
  if (!model) {
    model = new SemanticModel(sourceCode.ast, sourceCode.text, options?.());
    models.set(sourceCode.ast, model);
  }
  return model;
}
