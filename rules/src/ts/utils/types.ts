import { createRequire } from 'node:module';
import type { ParserServicesWithTypeInformation, TSESLint, TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

/**
 * Type information for a file, present only when the user's config gives the parser a TypeScript
 * program (`parserOptions.projectService` or `project`). Rules work without it (syntactically) and use
 * it to be sharper: a call typed as a Promise is a promise whatever its name; a `.startSpan` on
 * something that is not a Tracer is not a span.
 */
export interface TypeInfo {
  readonly services: ParserServicesWithTypeInformation;
  readonly checker: ts.TypeChecker;
}

export function typeInfoOf(sourceCode: Readonly<TSESLint.SourceCode>): TypeInfo | undefined {
  const services = sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
  if (!services?.program || !services.esTreeNodeToTSNodeMap) return undefined;
  return { services: services as ParserServicesWithTypeInformation, checker: services.program.getTypeChecker() };
}

// Type flags are `typescript` enum values; typescript is only loaded when a program exists, so it is
// required here lazily instead of imported (which would load the compiler with the plugin).
const require = createRequire(import.meta.url);
let tsModule: typeof ts | undefined;
function typescript(): typeof ts {
  tsModule ??= require('typescript') as typeof ts;
  return tsModule;
}

/** The type could be anything (`any`, `unknown`, an unresolved import): no conclusion can be drawn from it. */
function isUninformative(type: ts.Type): boolean {
  const { TypeFlags } = typescript();
  return (type.flags & (TypeFlags.Any | TypeFlags.Unknown)) !== 0;
}

function partsOf(type: ts.Type): readonly ts.Type[] {
  return type.isUnion() ? type.types : [type];
}

function typeAt(info: TypeInfo, node: TSESTree.Node): ts.Type {
  return info.services.getTypeAtLocation(node);
}

function hasCallableProperty(info: TypeInfo, type: ts.Type, name: string, node: TSESTree.Node): boolean {
  const property = info.checker.getApparentType(type).getProperty(name);
  if (!property) return false;
  const tsNode = info.services.esTreeNodeToTSNodeMap.get(node);
  return info.checker.getTypeOfSymbolAtLocation(property, tsNode).getCallSignatures().length > 0;
}

/**
 * Whether the value of `node` is a promise (anything with a callable `then`, or a union containing
 * one). `undefined` when there is no type information or the type is `any`/`unknown`.
 */
export function isThenableByType(info: TypeInfo | undefined, node: TSESTree.Node): boolean | undefined {
  if (!info) return undefined;
  const type = typeAt(info, node);
  if (isUninformative(type)) return undefined;
  return partsOf(type).some((part) => !isUninformative(part) && hasCallableProperty(info, part, 'then', node));
}

/** Whether `node`'s type has all these methods; `undefined` without type information or for `any`. */
export function hasMethodsByType(info: TypeInfo | undefined, node: TSESTree.Node, names: readonly string[]): boolean | undefined {
  return info && hasMethods(info, node, names);
}

function hasMethods(info: TypeInfo, node: TSESTree.Node, names: readonly string[]): boolean | undefined {
  const type = typeAt(info, node);
  if (isUninformative(type)) return undefined;
  return partsOf(type).some((part) => names.every((name) => hasCallableProperty(info, part, name, node)));
}

/** Whether `node` is an OpenTelemetry `Tracer` (structurally: `startSpan` and `startActiveSpan`). */
export function isTracerByType(info: TypeInfo | undefined, node: TSESTree.Node): boolean | undefined {
  return info && hasMethods(info, node, ['startSpan', 'startActiveSpan']);
}
