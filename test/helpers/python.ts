import type { File } from '@eslint/core';
import { pythonLanguage, type PyNode, type PythonSourceCode } from 'eslint-plugin-otel-async/language';
import { getSemanticModel, type SemanticModel } from 'eslint-plugin-otel-async/semantic';
import 'eslint-plugin-otel-async';

/** Parses Python text with the plugin's real language (tree-sitter WASM), as ESLint would. */
export function parsePython(text: string, languageOptions: Record<string, unknown> = { tolerant: true }): {
  sourceCode: PythonSourceCode;
  model: SemanticModel;
} {
  const file: File = { path: 'test.py', physicalPath: 'test.py', bom: false, body: text };
  const result = pythonLanguage.parse(file, { languageOptions });
  if (!result.ok) throw new Error(`parse failed: ${result.errors.map((error) => error.message).join('; ')}`);
  const sourceCode = pythonLanguage.createSourceCode(file, result, { languageOptions });
  return { sourceCode, model: getSemanticModel(sourceCode) };
}

/** Every node of a type, in source order. */
export function nodesOfType<T extends PyNode['type']>(sourceCode: PythonSourceCode, type: T): Extract<PyNode, { type: T }>[] {
  const found: Extract<PyNode, { type: T }>[] = [];
  for (const step of sourceCode.traverse()) {
    const node = step.target;
    if (step.phase === 1 && node.type === type) found.push(node as Extract<PyNode, { type: T }>);
  }
  return found;
}

/** The node of a type whose source text is exactly `text` (the first one). */
export function findNode<T extends PyNode['type']>(
  sourceCode: PythonSourceCode,
  type: T,
  text: string,
  occurrence = 0,
): Extract<PyNode, { type: T }> {
  const matches = nodesOfType(sourceCode, type).filter((node) => sourceCode.getText(node) === text);
  const node = matches[occurrence];
  if (!node) throw new Error(`no ${type} with text ${JSON.stringify(text)} (occurrence ${occurrence})`);
  return node;
}
