/**
 * The reference graph of a synthesized stack: every `${...}` reference and `depends_on` entry,
 * as edges between Terraform addresses (`aws_x.name`, `data.archive_file.name`).
 */
import type { TerraformJson } from "./synth";

export interface TerraformGraph {
  /** Every declared address. */
  readonly declared: ReadonlySet<string>;
  /** address -> addresses it references or depends on. */
  readonly edges: ReadonlyMap<string, ReadonlySet<string>>;
  /** References (from anywhere, outputs included) to addresses that are not declared. */
  readonly dangling: readonly { from: string; to: string }[];
}

const REFERENCE = /(?<![\w.-])(data\.[a-z0-9_]+\.[A-Za-z0-9_-]+|(?:aws|archive)_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g;
const NON_RESOURCE_ROOTS = ["var.", "local.", "path.", "module.", "each.", "count.", "self."];

/** All Terraform references inside interpolations of any string in `value`. */
export function referencesIn(value: unknown): string[] {
  const found: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      if (!v.includes("${")) return;
      for (const match of v.matchAll(REFERENCE)) {
        if (!NON_RESOURCE_ROOTS.some((root) => match[1]!.startsWith(root))) found.push(match[1]!);
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(value);
  return found;
}

export function buildGraph(json: TerraformJson): TerraformGraph {
  const declared = new Set<string>();
  const bodies = new Map<string, Record<string, unknown>>();
  for (const [type, byName] of Object.entries(json.resource)) {
    for (const [name, body] of Object.entries(byName)) {
      declared.add(`${type}.${name}`);
      bodies.set(`${type}.${name}`, body);
    }
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      declared.add(`data.${type}.${name}`);
      bodies.set(`data.${type}.${name}`, body);
    }
  }
  const edges = new Map<string, Set<string>>();
  const dangling: { from: string; to: string }[] = [];
  const link = (from: string, to: string) => {
    if (!declared.has(to)) dangling.push({ from, to });
    else if (from !== "output") {
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  };
  for (const [address, body] of bodies) {
    const { "//": _meta, depends_on: dependsOn, ...rest } = body as Record<string, unknown>;
    for (const ref of referencesIn(rest)) link(address, ref);
    for (const dep of (dependsOn as string[] | undefined) ?? []) link(address, dep);
  }
  for (const ref of referencesIn(json.output)) link("output", ref);
  return { declared, edges, dangling };
}

/** The first cycle found, as a list of addresses, or undefined. */
export function findCycle(graph: TerraformGraph): string[] | undefined {
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, "visiting");
    stack.push(node);
    for (const next of graph.edges.get(node) ?? []) {
      if (state.get(next) === "visiting") return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.declared) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

/** Whether `from` reaches `to` through references and depends_on. */
export function reaches(graph: TerraformGraph, from: string, to: string): boolean {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.pop()!;
    if (node === to) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    queue.push(...(graph.edges.get(node) ?? []));
  }
  return false;
}
