/**
 * Why `m2m call` was refused, in one line after the API's own answer. The gateway says only
 * `401 {"message":"Unauthorized"}`; the CLI knows more: the scopes of the token it sent (its
 * `scope` claim, read without verifying: the API has judged it already), the scopes the client may
 * request (the credential source lists them), and, from the config, the scopes the route needs
 * and whether any or all of them. So it can say which scope is missing and what to do, or, when
 * the token has the scopes, that the token itself was refused. Tokens are never printed.
 */
import { scopeIdentifier } from "../model/aws-urls";
import { scopeMatchOf } from "../model/access";
import { routeServes } from "./api-choice";
import { scopeLabel, type Caller } from "./caller";

/** The route the config says serves the request. */
export interface CalledRoute {
  readonly api: string;
  readonly method: string;
  readonly path: string;
  readonly scopes: readonly string[];
  readonly authorizer: "cognito" | "scope-checker";
}

export interface Refusal {
  readonly status: number;
  /** The response body as received (API Gateway's `{"message": ...}`). */
  readonly body: string;
  readonly method: string;
  readonly path: string;
  /** The access token the call carried, when one was sent. */
  readonly token: string | undefined;
  readonly caller: Pick<Caller, "apis" | "api" | "scopes">;
  /** `--client NAME`, when given. */
  readonly client: string | undefined;
  /** The route, when the config could be read and has it; otherwise why not, as a phrase. */
  readonly route: CalledRoute | { readonly unknown: string };
  readonly nowSeconds: number;
}

/** The token's claims that matter here, or undefined when it is not a readable JWT. */
function claimsOf(token: string | undefined): { scopes: string[]; exp: number | undefined } | undefined {
  const payload = token?.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { scope?: unknown; exp?: unknown };
    return { scopes: typeof claims.scope === "string" ? claims.scope.split(" ").filter((s) => s !== "") : [], exp: typeof claims.exp === "number" ? claims.exp : undefined };
  } catch {
    return undefined;
  }
}

const list = (items: readonly string[]) => (items.length === 0 ? "no scope" : items.join(", "));

/** One line explaining a 401 or 403 of `m2m call`, or undefined for any other status. */
export function explainRefusal(refusal: Refusal): string | undefined {
  const { status, caller, route } = refusal;
  if (status !== 401 && status !== 403) return undefined;
  const request = `${refusal.method} ${refusal.path}`;
  if (status === 403 && refusal.body.includes("Missing Authentication Token")) {
    const on = caller.api?.name === undefined ? "" : ` on ${caller.api.name}`;
    const routes = caller.api?.routes;
    const elsewhere = caller.apis.filter((a) => a.name !== undefined && a !== caller.api && a.routes?.some((r) => routeServes(r, refusal.method, refusal.path)));
    const hint = elsewhere.length > 0 ? `; it is a route of ${elsewhere.map((a) => a.name).join(", ")}: call with --api ${elsewhere[0]!.name}` : routes ? ` (routes: ${routes.join(", ")})` : "";
    return `no route ${request}${on}: API Gateway answers an unknown method or path with 403 "Missing Authentication Token"${hint}`;
  }
  const label = (identifier: string) => scopeLabel(identifier, caller.apis);
  const claims = claimsOf(refusal.token);
  if (claims === undefined) return `refused (HTTP ${status}): no readable access token was sent`;
  const carried = claims.scopes.map(label);
  if ("unknown" in route) return `refused (HTTP ${status}): the token carries ${list(carried)}; which scopes ${request} needs is unknown (${route.unknown})`;

  const apiIdentifier = caller.apis.find((a) => a.name === route.api)?.resourceServerIdentifier ?? caller.api?.resourceServerIdentifier;
  const required = route.scopes.map((s) => (apiIdentifier === undefined ? s : scopeIdentifier(apiIdentifier, s)));
  const holds = (id: string) => (apiIdentifier === undefined ? claims.scopes.some((c) => c.endsWith(`/${id}`)) : claims.scopes.includes(id));
  const missing = required.filter((id) => !holds(id));
  const all = scopeMatchOf(route.authorizer) === "all-of";
  const satisfied = all ? missing.length === 0 : missing.length < required.length;
  const where = `${route.method} ${route.path} on ${route.api}`;
  const labelled = (ids: readonly string[]) => ids.map((id) => (apiIdentifier === undefined ? `${route.api}:${id}` : label(id)));

  if (!satisfied) {
    const needs = required.length === 1 ? labelled(required)[0]! : `${all ? "all of" : "one of"} ${labelled(required).join(", ")}`;
    const lacking = labelled(all ? missing : required);
    const mayRequest = caller.scopes?.filter((id) => missing.includes(id)) ?? [];
    const who = refusal.client === undefined ? "this client" : `client "${refusal.client}"`;
    const fix =
      mayRequest.length > 0
        ? `${who} may request ${labelled(mayRequest).join(", ")}: call without --scope, or add --scope ${labelled(mayRequest)[0]}`
        : `${who} ${caller.scopes === undefined ? "lacks it" : `holds ${list(caller.scopes.map(label))}`}: grant ${lacking.join(all ? " and " : " or ")} in the config (clients[].scopes), or call as a client that holds ${all && lacking.length > 1 ? "them" : "it"}`;
    return `refused: ${where} needs ${needs}; the token carries ${list(carried)}; ${fix}`;
  }
  if (claims.exp !== undefined && claims.exp <= refusal.nowSeconds) {
    return `refused: the token expired at ${new Date(claims.exp * 1000).toISOString()}; run the call again for a new one`;
  }
  const checker = route.authorizer === "scope-checker" ? ", or the scope checker does not allow this client on the API (disabled in this environment?)" : "";
  return `refused: the token carries what ${where} needs (${list(carried)}), so the token itself was refused: not issued by this environment's user pool (an offline environment restarted since?) or expired by the API's clock${checker}`;
}
