import type { Language } from 'web-tree-sitter';
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

/**
 * Per language, a slot number for each node type name, in the order the names were first met. The
 * conversion keeps each type id's slot in its per-id record (the lookup for each node is then a
 * property read); the ids of one name (a symbol and its aliases) share the slot, so each type's list
 * stays in source order.
 */
interface TypeSlots {
  readonly slotOfName: Map<string, number>;
  readonly names: string[];
}

const typeSlotsOf = new WeakMap<Language, TypeSlots>();

function typeSlots(language: Language): TypeSlots {
  let slots = typeSlotsOf.get(language);
  if (!slots) {
    slots = { slotOfName: new Map(), names: [] };
    typeSlotsOf.set(language, slots);
  }
  return slots;
}

/** The slot of a node type's list in {@link NodesByType}, the same for every tree of the language. */
export function typeSlotOf(language: Language, type: string): number {
  const slots = typeSlots(language);
  let slot = slots.slotOfName.get(type);
  if (slot === undefined) {
    slot = slots.names.length;
    slots.names.push(type);
    slots.slotOfName.set(type, slot);
  }
  return slot;
}

/** The per-type lists a conversion fills as it creates nodes. */
export class NodesByType<Node> {
  readonly #names: readonly string[];
  readonly #lists: Node[][] = [];

  constructor(language: Language) {
    this.#names = typeSlots(language).names;
  }

  /** Records a node in the list of slot `slot` (see {@link typeSlotOf}). */
  add(slot: number, node: Node): void {
    const list = this.#lists[slot];
    if (list) list.push(node);
    else this.#lists[slot] = [node];
  }

  /** The lists by type name. */
  lists(): Map<string, readonly Node[]> {
    const byType = new Map<string, readonly Node[]>();
    this.#lists.forEach((list, slot) => byType.set(this.#names[slot] as string, list));
    return byType;
  }
}

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
