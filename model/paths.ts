/**
 * API paths: parsing segments, and the readable names derived from them.
 */
import { NAMING } from "./aws-limits";

export type PathSegment =
  | { readonly kind: "literal"; readonly text: string }
  | { readonly kind: "parameter"; readonly name: string; readonly greedy: boolean };

/** Splits a path into segments; returns the problem as a string when a segment is invalid. */
export function parsePath(path: string): { segments: PathSegment[] } | { problem: string } {
  if (!path.startsWith("/")) return { problem: "must start with /" };
  if (path === "/") return { segments: [] };
  const parts = path.replace(/\/$/, "").slice(1).split("/");
  const segments: PathSegment[] = [];
  for (const [i, part] of parts.entries()) {
    if (part === "") return { problem: "must not contain an empty segment (//)" };
    const param = NAMING.pathParameter.exec(part);
    if (param) {
      const greedy = param[2] === "+";
      if (greedy && i !== parts.length - 1) return { problem: `greedy segment "${part}" must be the last segment` };
      segments.push({ kind: "parameter", name: param[1]!, greedy });
    } else if (part.includes("{") || part.includes("}")) {
      return { problem: `segment "${part}" must be a literal or a whole {param} segment` };
    } else if (!NAMING.pathLiteral.test(part)) {
      return { problem: `segment "${part}" has a character API Gateway does not allow in a path (letters, digits, ".", "_" and "-" only)` };
    } else {
      segments.push({ kind: "literal", text: part });
    }
  }
  return { segments };
}

export function segmentText(segment: PathSegment): string {
  return segment.kind === "literal" ? segment.text : `{${segment.name}${segment.greedy ? "+" : ""}}`;
}

/** `/orders/{id}/` -> `/orders/{id}`. */
export function normalizePath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** Readable Terraform name part for a path: `/orders/{id}` -> `orders_id`, `/` -> `root`. */
export function pathKey(path: string): string {
  const parsed = parsePath(path);
  if ("problem" in parsed || parsed.segments.length === 0) return "root";
  return parsed.segments
    .map((s) => (s.kind === "literal" ? s.text.replace(/[^A-Za-z0-9-]/g, "-") : s.greedy ? `${s.name}-greedy` : s.name))
    .join("_");
}

/** Readable Terraform name part for a route: `GET /orders/{id}` -> `get_orders_id`. */
export function routeKey(method: string, path: string): string {
  return `${method.toLowerCase()}_${pathKey(path)}`;
}
