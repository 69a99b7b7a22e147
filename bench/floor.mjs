// The floors the full lint is compared with: what tree-sitter costs before any of our code runs.

/** The bare parse: tree-sitter builds its tree in WebAssembly memory, and we free it. */
export function bareParse(parser, text) {
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  tree.delete();
}

/**
 * The parse plus one walk that reads each node's type and range, with the tree reader the conversion
 * uses (`readTree`): the least a conversion to JavaScript objects must do, since each read is a call
 * into WebAssembly. Returns the node count.
 */
export function parseAndWalk(parser, readTree, text) {
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  const cursor = readTree(tree);
  let nodes = 0;
  let checksum = 0;
  for (;;) {
    nodes++;
    checksum += cursor.typeId() + cursor.startIndex() + cursor.endIndex();
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        tree.delete();
        // The checksum keeps the reads from being optimised away.
        return checksum > 0 ? nodes : -nodes;
      }
    }
  }
}
