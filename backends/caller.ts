/**
 * `callerOf(event)`: which client called a backend handler, and with which scopes, read from
 * what the authorizer put into the request context — never from the token again, and never
 * from a header the caller could set. Works for both authorizers:
 * - native Cognito: `requestContext.authorizer.claims.client_id` and `.scope`;
 * - the scope checker: `requestContext.authorizer.clientId` and `.scope`.
 * Deny when in doubt: an event without either throws `CallerUnknownError`.
 * Runtime code: no cdktf, no validator, nothing but this file is bundled.
 */
import type { RestProxyEvent } from "./proxy-types";

export interface Caller {
  /** The app client id (the token's `client_id`). */
  readonly clientId: string;
  /** Full scope identifiers as the token carries them, e.g. `https://<api>.execute-api.<region>.amazonaws.com/<stage>/payments.write`. */
  readonly scopes: readonly string[];
}

/** The event carries no authorizer identity (a route without an authorizer, or a hand-made event). */
export class CallerUnknownError extends Error {
  constructor() {
    super("the request context carries no authorizer identity (requestContext.authorizer.claims.client_id or .clientId)");
    this.name = "CallerUnknownError";
  }
}

type EventLike = Pick<RestProxyEvent, "requestContext"> | { readonly requestContext?: { readonly authorizer?: unknown } };

const nonEmpty = (v: unknown): v is string => typeof v === "string" && v !== "";
const splitScopes = (v: unknown): string[] => (typeof v === "string" ? v.split(" ").filter((s) => s !== "") : []);

export function callerOf(event: EventLike): Caller {
  const authorizer = event?.requestContext?.authorizer as Record<string, unknown> | null | undefined;
  if (typeof authorizer !== "object" || authorizer === null) throw new CallerUnknownError();
  const claims = authorizer.claims as Record<string, unknown> | undefined;
  if (typeof claims === "object" && claims !== null && nonEmpty(claims.client_id)) {
    return { clientId: claims.client_id, scopes: splitScopes(claims.scope) };
  }
  if (nonEmpty(authorizer.clientId)) return { clientId: authorizer.clientId, scopes: splitScopes(authorizer.scope) };
  throw new CallerUnknownError();
}

/** Whether the caller holds the scope named `name` (`<resource server>/<name>`), whatever the resource server. */
export function hasScope(caller: Caller, name: string): boolean {
  return caller.scopes.some((s) => s === name || s.endsWith(`/${name}`));
}
