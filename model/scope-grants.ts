/**
 * How a client names the scopes it is granted, across APIs. In the one-API form a scope is its
 * name alone (`read`). With several APIs it is `<api>:<scope>` (`orders:read`); a client
 * sponsored by an API's team may name that API's scopes alone. The notation reads the same in a
 * config diff, in the reports and in the access diff.
 */
import type { ModelLayout, ScopeGrant } from "./model-types";

/** The separator between an API's name and its scope's name (API names never contain it). */
export const GRANT_SEPARATOR = ":";

export interface GrantContext {
  readonly layout: ModelLayout;
  /** The APIs' names. */
  readonly apis: readonly string[];
  /** The client's sponsor API, if any. */
  readonly sponsor?: string;
}

/**
 * Reads one granted scope: the API it belongs to and its name there, or why it cannot be read
 * (a bare name with several APIs and no sponsor). Whether the API and scope exist is the
 * caller's check.
 */
export function parseGrant(text: string, context: GrantContext): ScopeGrant | { readonly problem: string } {
  if (context.layout === "single-api") return { api: context.apis[0] ?? "", scope: text };
  const at = text.indexOf(GRANT_SEPARATOR);
  if (at > 0) return { api: text.slice(0, at), scope: text.slice(at + 1) };
  if (context.apis.length === 1) return { api: context.apis[0]!, scope: text };
  if (context.sponsor !== undefined) return { api: context.sponsor, scope: text };
  return { problem: `must name its API as <api>${GRANT_SEPARATOR}<scope> (the config defines several APIs: ${context.apis.join(", ")})` };
}

/** How a grant is written: the scope alone in the one-API form, `<api>:<scope>` otherwise. */
export function grantLabel(grant: ScopeGrant, layout: ModelLayout): string {
  return layout === "single-api" ? grant.scope : `${grant.api}${GRANT_SEPARATOR}${grant.scope}`;
}

/** The names of the scopes a client is granted on one API: what that API's authorizers see. */
export function scopesOn(grants: readonly ScopeGrant[], api: string): string[] {
  return grants.filter((g) => g.api === api).map((g) => g.scope);
}

/** The APIs a client holds scopes on, in the order of its grants. */
export function apisOf(grants: readonly ScopeGrant[]): string[] {
  return [...new Set(grants.map((g) => g.api))];
}
