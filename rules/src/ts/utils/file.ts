import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { resolveQualified, type QualifiedName } from './imports.js';
import { typeInfoOf, type TypeInfo } from './types.js';

/** What the TS rules know about the file being linted: its source, type information when available, and cached lookups. */
export class TsFile {
  readonly types: TypeInfo | undefined;
  private readonly qualifiedCache = new WeakMap<TSESTree.Node, QualifiedName | null>();

  constructor(readonly sourceCode: Readonly<TSESLint.SourceCode>) {
    this.types = typeInfoOf(sourceCode);
  }

  /** What an identifier or static member chain refers to (see `resolveQualified`), cached per node. */
  qualified(node: TSESTree.Node): QualifiedName | undefined {
    const cached = this.qualifiedCache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    const resolved = resolveQualified(this.sourceCode, node);
    this.qualifiedCache.set(node, resolved ?? null);
    return resolved;
  }

  text(node: TSESTree.Node): string {
    return this.sourceCode.getText(node);
  }
}
