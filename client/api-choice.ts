/**
 * Which API `m2m call METHOD PATH` means when the config has several and no `--api` was given:
 * the one API with a route that serves the request (path templates as API Gateway matches them:
 * a `{param}` takes one segment, a final `{proxy+}` one or more; `ANY` takes every method).
 * None or several: a usage error naming the APIs, so the user adds `--api NAME`.
 */
import { parsePath } from "../model/paths";
import { UsageError } from "./usage-error";

export interface RoutedApi {
  readonly name: string;
  /** `METHOD /path` templates. */
  readonly routes: readonly string[];
}

/** Whether the route `METHOD /template` serves `method path`. */
export function routeServes(route: string, method: string, path: string): boolean {
  const space = route.indexOf(" ");
  const routeMethod = route.slice(0, space);
  if (routeMethod !== "ANY" && routeMethod !== method.toUpperCase()) return false;
  const parsed = parsePath(route.slice(space + 1));
  if ("problem" in parsed) return false;
  const segments = path.split("?")[0]!.split("/").filter((s) => s !== "");
  const template = parsed.segments;
  for (const [i, segment] of template.entries()) {
    if (segment.kind !== "literal" && segment.greedy) return segments.length > i;
    if (i >= segments.length) return false;
    if (segment.kind === "literal" && segment.text !== segments[i]) return false;
  }
  return segments.length === template.length;
}

/** The API serving `method path`, or a usage error that names every API. */
export function apiForRoute(apis: readonly RoutedApi[], method: string, path: string): string {
  const names = apis.map((a) => a.name).join(", ");
  const serving = apis.filter((a) => a.routes.some((r) => routeServes(r, method, path)));
  const request = `${method.toUpperCase()} ${path}`;
  if (serving.length === 1) return serving[0]!.name;
  if (serving.length === 0) throw new UsageError(`no API has a route ${request}: choose one with --api NAME (the config has: ${names})`);
  throw new UsageError(`${request} is a route of several APIs (${serving.map((a) => a.name).join(", ")}): choose one with --api NAME`);
}
