/**
 * Request path -> configured route, the way API Gateway selects a resource: a literal segment
 * beats a `{param}` segment, which beats a greedy `{proxy+}` (one or more remaining segments);
 * then the method: an exact method beats `ANY`. A path that matches no resource, or a resource
 * without the method, gets API Gateway's 403 "Missing Authentication Token".
 */
import type { Route } from "../model/model-types";
import { parsePath, type PathSegment } from "../model/paths";

export interface RouteMatch {
  readonly route: Route;
  /** Decoded values of the `{param}` segments, as API Gateway passes them. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

interface ResourceNode {
  readonly literals: Map<string, ResourceNode>;
  parameter?: { readonly name: string; readonly node: ResourceNode };
  greedy?: { readonly name: string; readonly methods: Map<string, Route> };
  readonly methods: Map<string, Route>;
}

const newNode = (): ResourceNode => ({ literals: new Map(), methods: new Map() });

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface RouteTable {
  match(method: string, path: string): RouteMatch | undefined;
}

export function createRouteTable(routes: readonly Route[]): RouteTable {
  const root = newNode();
  for (const route of routes) {
    const parsed = parsePath(route.path);
    if ("problem" in parsed) throw new Error(`route ${route.method} ${route.path}: ${parsed.problem}`);
    let node = root;
    let methods = root.methods;
    for (const segment of parsed.segments as PathSegment[]) {
      if (segment.kind === "literal") {
        if (!node.literals.has(segment.text)) node.literals.set(segment.text, newNode());
        node = node.literals.get(segment.text)!;
        methods = node.methods;
      } else if (segment.greedy) {
        node.greedy ??= { name: segment.name, methods: new Map() };
        methods = node.greedy.methods;
      } else {
        node.parameter ??= { name: segment.name, node: newNode() };
        node = node.parameter.node;
        methods = node.methods;
      }
    }
    methods.set(route.method, route);
  }

  /** Depth-first in API Gateway's precedence order; the first resource found wins. */
  function findResource(node: ResourceNode, segments: readonly string[], params: Record<string, string>): { methods: Map<string, Route>; params: Record<string, string> } | undefined {
    if (segments.length === 0) return node.methods.size > 0 ? { methods: node.methods, params } : undefined;
    const [head, ...rest] = segments as [string, ...string[]];
    const literal = node.literals.get(head);
    const viaLiteral = literal && findResource(literal, rest, params);
    if (viaLiteral) return viaLiteral;
    if (node.parameter) {
      const viaParameter = findResource(node.parameter.node, rest, { ...params, [node.parameter.name]: decodeSegment(head) });
      if (viaParameter) return viaParameter;
    }
    if (node.greedy) return { methods: node.greedy.methods, params: { ...params, [node.greedy.name]: segments.map(decodeSegment).join("/") } };
    return undefined;
  }

  return {
    match(method, path) {
      const segments = path.split("/").filter((s) => s !== "");
      const found = findResource(root, segments, {});
      if (!found) return undefined;
      const route = found.methods.get(method.toUpperCase()) ?? found.methods.get("ANY");
      return route ? { route, pathParameters: found.params } : undefined;
    },
  };
}
