import type { RuleDefinition } from '@eslint/core';
import type { JSONSchema } from '@typescript-eslint/utils';
import { PythonSourceCode } from '../../language/python-source-code.js';
import type { AnyRule, RuleImplementations } from '../../util/rule-types.js';

interface Meta {
  type?: string;
  docs?: { description?: string; recommended?: boolean; url?: string; [key: string]: unknown };
  messages?: Record<string, string>;
  schema?: JSONSchema.JSONSchema4 | JSONSchema.JSONSchema4[] | false;
  defaultOptions?: unknown[];
  fixable?: 'code' | 'whitespace';
  hasSuggestions?: boolean;
  [key: string]: unknown;
}

function metaOf(rule: AnyRule): Meta {
  return (rule.meta ?? {}) as Meta;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Messages of both languages in one table; the same id may not mean two things. */
function mergeMessages(id: string, python: Meta, ts: Meta): Record<string, string> {
  const merged: Record<string, string> = { ...python.messages };
  for (const [messageId, text] of Object.entries(ts.messages ?? {})) {
    if (messageId in merged && merged[messageId] !== text) {
      throw new Error(`otel-async/${id}: message id "${messageId}" means different things in the Python and TS rules`);
    }
    merged[messageId] = text;
  }
  return merged;
}

/** The single options object a rule takes: `[{ type: 'object', properties }]` (or no options). */
function optionsObjectSchema(id: string, language: string, schema: Meta['schema']): JSONSchema.JSONSchema4ObjectSchema | undefined {
  if (schema === undefined || schema === false || (Array.isArray(schema) && schema.length === 0)) return undefined;
  const first = Array.isArray(schema) ? schema[0] : undefined;
  if (!Array.isArray(schema) || schema.length !== 1 || first?.type !== 'object') {
    throw new Error(`otel-async/${id}: the ${language} rule's schema is not a single options object; cannot merge it`);
  }
  return first;
}

/** One options object accepting both languages' properties (a property both declare keeps the Python definition). */
function mergeSchemas(id: string, python: Meta, ts: Meta): JSONSchema.JSONSchema4[] {
  const pythonObject = optionsObjectSchema(id, 'Python', python.schema);
  const tsObject = optionsObjectSchema(id, 'TS', ts.schema);
  if (!pythonObject && !tsObject) return [];
  if (!pythonObject || !tsObject) return [(pythonObject ?? tsObject) as JSONSchema.JSONSchema4ObjectSchema];
  return [
    {
      ...tsObject,
      ...pythonObject,
      properties: { ...tsObject.properties, ...pythonObject.properties },
      additionalProperties: false,
    },
  ];
}

function withoutDefaults(meta: Meta): Meta {
  const copy = { ...meta };
  delete copy.defaultOptions;
  return copy;
}

/** Options with defaults filled in, as ESLint merges `meta.defaultOptions` (objects deeply, anything else replaced). */
export function withDefaults(defaults: readonly unknown[], options: readonly unknown[]): unknown[] {
  const merge = (base: unknown, override: unknown): unknown => {
    if (override === undefined) return base;
    if (!isPlainObject(base) || !isPlainObject(override)) return override;
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) merged[key] = merge(base[key], value);
    return merged;
  };
  const length = Math.max(defaults.length, options.length);
  return Array.from({ length }, (_, i) => merge(defaults[i], options[i]));
}

/**
 * One rule for an id implemented in both languages: `create` runs the Python implementation on files
 * parsed by the plugin's Python language and the TS one on everything else; `meta` carries both
 * languages' messages and options, and the Python rule's docs (the page covers both). Each language's
 * implementation gets the options with its own defaults.
 */
function combine(id: string, python: AnyRule, ts: AnyRule): RuleDefinition {
  const pythonMeta = metaOf(python);
  const tsMeta = metaOf(ts);
  const fixable = pythonMeta.fixable ?? tsMeta.fixable;
  // No merged `defaultOptions`: each language keeps its own defaults (ESLint would apply one set to both).
  const pythonDefaults = pythonMeta.defaultOptions;
  const meta: Meta = {
    ...withoutDefaults(tsMeta),
    ...withoutDefaults(pythonMeta),
    docs: {
      ...tsMeta.docs,
      ...pythonMeta.docs,
      recommended: pythonMeta.docs?.recommended === true || tsMeta.docs?.recommended === true,
    },
    messages: mergeMessages(id, pythonMeta, tsMeta),
    schema: mergeSchemas(id, pythonMeta, tsMeta),
    ...(fixable ? { fixable } : {}),
    ...(pythonMeta.hasSuggestions || tsMeta.hasSuggestions ? { hasSuggestions: true } : {}),
  };
  return {
    meta,
    create(context) {
      if (!(context.sourceCode instanceof PythonSourceCode)) {
        // TS rules apply their own defaults (ESLintUtils.RuleCreator).
        return ts.create(context as never) as ReturnType<RuleDefinition['create']>;
      }
      const pythonContext = pythonDefaults
        ? (Object.create(context, { options: { value: withDefaults(pythonDefaults, context.options), enumerable: true } }) as typeof context)
        : context;
      return python.create(pythonContext as never) as ReturnType<RuleDefinition['create']>;
    },
  } as RuleDefinition;
}

/**
 * A TS-only rule, guarded: on a Python file (a config that turns it on for every file) it does nothing
 * instead of failing on a tree it does not know.
 */
function tsOnly(ts: AnyRule): RuleDefinition {
  const rule = ts as unknown as RuleDefinition;
  const guarded: RuleDefinition = {
    ...rule,
    meta: rule.meta,
    create(context) {
      return context.sourceCode instanceof PythonSourceCode ? {} : rule.create(context);
    },
  };
  return guarded;
}

/** The rule ESLint runs for one id, whichever languages implement it. */
export function ruleFor(id: string, implementations: RuleImplementations): RuleDefinition {
  const { python, ts } = implementations;
  if (python && ts) return combine(id, python, ts);
  if (ts) return tsOnly(ts);
  if (python) return python as unknown as RuleDefinition;
  throw new Error(`otel-async/${id}: a rule table entry without an implementation`);
}
