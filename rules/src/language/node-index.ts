import type { PyNode } from './generated/node-types.js';
import { childrenInSourceOrder } from './python-source-code.js';

/**
 * The named nodes of a module by type, each list in source order. Rules that look at all calls or all
 * definitions of a file read these lists instead of each walking the whole tree again: on a
 * 10,000-line tree (~90,000 nodes, tens of megabytes) every walk costs milliseconds in cache misses
 * alone, so the conversion records the lists while each node is still fresh in the cache.
 */
export class NodeIndex {
  #nodes: readonly PyNode[] | undefined;

  constructor(
    readonly root: PyNode,
    readonly byType: ReadonlyMap<string, readonly PyNode[]>,
  ) {}

  /** The nodes of one type, in source order. Shared: do not mutate. */
  ofType(type: string): readonly PyNode[] {
    return this.byType.get(type) ?? NONE;
  }

  /** The module and every named node below it, in source order (pre-order); made on first use. */
  get nodes(): readonly PyNode[] {
    this.#nodes ??= walk(this.root);
    return this.#nodes;
  }
}

const NONE: readonly PyNode[] = [];
const indexes = new WeakMap<object, NodeIndex>();

function walk(root: PyNode): PyNode[] {
  const nodes: PyNode[] = [];
  const pending: PyNode[] = [root];
  for (let node = pending.pop(); node; node = pending.pop()) {
    nodes.push(node);
    const children = childrenInSourceOrder(node);
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i] as PyNode);
  }
  return nodes;
}

/** Records the per-type lists the conversion made (each in creation order, which is source order). */
export function registerNodes(root: PyNode, byType: ReadonlyMap<string, readonly PyNode[]>): void {
  indexes.set(root, new NodeIndex(root, byType));
}

/**
 * The index of the tree under `root`: the one recorded when the tree was converted, or, for a tree
 * built another way, one made by walking it.
 */
export function nodeIndexOf(root: PyNode): NodeIndex {
  let index = indexes.get(root);
  if (!index) {
    const byType = new Map<string, PyNode[]>();
    for (const node of walk(root)) {
      const list = byType.get(node.type);
      if (list) list.push(node);
      else byType.set(node.type, [node]);
    }
    index = new NodeIndex(root, byType);
    indexes.set(root, index);
  }
  return index;
}
