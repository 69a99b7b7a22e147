import type { PyNode } from './generated/node-types.js';
import { childrenInSourceOrder } from './python-source-code.js';

/**
 * Every named node of a module in source order (pre-order), with lists per node type built on first
 * use. Rules that look at all calls or all definitions of a file read these lists instead of each
 * walking the whole tree again (a walk allocates as it goes; on a 10,000-line file each one cost
 * several milliseconds).
 */
export class NodeIndex {
  #byType: Map<string, PyNode[]> | undefined;

  constructor(
    /** The module and every named node below it, in source order. */
    readonly nodes: readonly PyNode[],
  ) {}

  /** The nodes of one type, in source order. Shared: do not mutate. */
  ofType(type: string): readonly PyNode[] {
    if (!this.#byType) {
      const byType = new Map<string, PyNode[]>();
      for (const node of this.nodes) {
        const list = byType.get(node.type);
        if (list) list.push(node);
        else byType.set(node.type, [node]);
      }
      this.#byType = byType;
    }
    return this.#byType.get(type) ?? NONE;
  }
}

const NONE: readonly PyNode[] = [];
const indexes = new WeakMap<object, NodeIndex>();

/** Records the nodes the conversion created, in creation order (which is source order). */
export function registerNodes(root: PyNode, nodesInSourceOrder: readonly PyNode[]): void {
  indexes.set(root, new NodeIndex(nodesInSourceOrder));
}

/**
 * The index of the tree under `root`: the one recorded when the tree was converted, or, for a tree
 * built another way, one made by walking it.
 */
export function nodeIndexOf(root: PyNode): NodeIndex {
  let index = indexes.get(root);
  if (!index) {
    const nodes: PyNode[] = [];
    const pending: PyNode[] = [root];
    for (let node = pending.pop(); node; node = pending.pop()) {
      nodes.push(node);
      const children = childrenInSourceOrder(node);
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i] as PyNode);
    }
    index = new NodeIndex(nodes);
    indexes.set(root, index);
  }
  return index;
}
