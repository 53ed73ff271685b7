/**
 * Terraform's apply graph (`terraform graph -type=apply -plan=<file>`, DOT) read as "what must
 * finish before what": an edge `A -> B` means A waits for B. Used to show that the new
 * deployment is taken after the API definition it snapshots has been put.
 */

export interface ApplyGraph {
  /** Direct prerequisites of each node (addresses without `[root] ` and ` (expand)`). */
  readonly prerequisites: ReadonlyMap<string, ReadonlySet<string>>;
}

function nodeName(raw: string): string {
  return raw.replace(/^\[root\] /, "").replace(/ \((expand|destroy|close)\)$/, (m) => (m.includes("destroy") ? " (destroy)" : ""));
}

export function parseApplyGraph(dot: string): ApplyGraph {
  const prerequisites = new Map<string, Set<string>>();
  for (const match of dot.matchAll(/"([^"]+)"\s*->\s*"([^"]+)"/g)) {
    const from = nodeName(match[1]!);
    const to = nodeName(match[2]!);
    if (!prerequisites.has(from)) prerequisites.set(from, new Set());
    prerequisites.get(from)!.add(to);
  }
  return { prerequisites };
}

/** True when `later` waits, directly or through others, for `earlier`. */
export function waitsFor(graph: ApplyGraph, later: string, earlier: string): boolean {
  const seen = new Set<string>();
  const stack = [later];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const next of graph.prerequisites.get(node) ?? []) {
      if (next === earlier) return true;
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return false;
}
