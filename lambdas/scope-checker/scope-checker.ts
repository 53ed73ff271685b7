/**
 * The scope checker: an API Gateway REST `REQUEST` authorizer that lets a Cognito access
 * token call a route only when it holds *all* of the route's scopes (API Gateway's native
 * Cognito authorizer can only ask for any-of) and its client is on the allow-list.
 *
 * Importing this module does nothing; `createHandler` does the work (tests, the local
 * environment and handler.ts each build their own handler).
 *
 * Outcomes: 401 = thrown `Error("Unauthorized")` (no usable, valid token); 403 = a policy whose
 * first statement denies the called route (see access-policy.ts for the one rare exception);
 * 200 = a policy whose first statement allows every route the token may call. Either policy
 * covers all routes, so API Gateway may cache it. Every result names the client's usage key
 * (usage-key.ts), by which API Gateway meters the calls of a client with limits.
 */
import { checkBinding, type CertificateBinding } from "../../model/certificate-binding";
import { PolicyBuilder } from "./access-policy";
import type { AuthorizerHandler, AuthorizerResult, CertificateDenyReason, PolicyStatement, RequestAuthorizerEvent } from "./authorizer-types";
import { extractBearerToken } from "./bearer-token";
import { logDecision, routeLabel, type UnauthorizedReason } from "./decision-log";
import { unauthorized } from "./errors";
import { methodArnPrefix } from "./method-arn";
import { compileRouteTable, type RouteSpec, type RouteTable } from "./route-table";
import { usageIdentifierKey } from "./usage-key";
import { createTokenVerifier, type JwksDocument, type JwksRefresh, type TokenCheck, type VerifiedAccessToken } from "./token-verifier";

export type { AuthorizerHandler, AuthorizerResult, RequestAuthorizerEvent } from "./authorizer-types";

export interface ScopeCheckerOptions {
  /** `<region>_<id>`; the issuer is derived from it. */
  readonly userPoolId: string;
  /** Another issuer than Cognito's for the pool: the offline environment's own (token-verifier.ts). */
  readonly issuer?: string;
  /** Client ids whose tokens are accepted; null accepts every client of the pool. */
  readonly clientIds: readonly string[] | null;
  /** The scope-checker routes: API Gateway resource path, upper-case method or ANY, full scope identifiers (all required). */
  readonly routes: readonly RouteSpec[];
  /** `routes` already compiled (the Lambda compiles them once, at cold start, to validate them); compiled here when absent. */
  readonly routeTable?: RouteTable;
  /** When given, used as the pool's keys; nothing is fetched except through `refreshJwks`. */
  readonly jwks?: JwksDocument;
  /**
   * With `jwks`: asked for the pool's current keys when a token names a kid `jwks` lacks
   * (Cognito rotated its keys). Must rate-limit (JwksRefresher does): undefined means no fetch
   * now, and the token is refused. Without it an unknown kid is simply refused.
   */
  readonly refreshJwks?: JwksRefresh;
  /**
   * Clients bound to a certificate, by client id: their tokens count only on a connection
   * presenting it (`requestContext.identity.clientCert`). Absent: no client is bound.
   */
  readonly bindings?: ReadonlyMap<string, CertificateBinding>;
  /**
   * While an API's scope identifiers move (invoke URL to custom domain), a token may carry
   * either: a granted scope starting `from` counts as the same scope under `to` (the identifier
   * the routes name). Absent: none.
   */
  readonly scopeAliases?: readonly { readonly from: string; readonly to: string }[];
}

/** Builds the authorizer. Throws ScopeCheckerConfigError when the options are unusable. */
export function createHandler(options: ScopeCheckerOptions): AuthorizerHandler {
  const table = options.routeTable ?? compileRouteTable(options.routes);
  const policies = new PolicyBuilder(table);
  const verify = createTokenVerifier(options);

  function refuse(route: string, reason: UnauthorizedReason, clientId?: string): never {
    logDecision(route, clientId === undefined ? { decision: "unauthorized", reason } : { decision: "unauthorized", reason, clientId });
    throw unauthorized();
  }

  function decide(event: RequestAuthorizerEvent, prefix: string, route: string, check: TokenCheck): AuthorizerResult {
    if (!check.ok) return refuse(route, check.reason, check.clientId);
    const { clientId } = check.token;
    const policy = policies.forScope(canonical(check.token.scope));
    const called = table.indexOf(event.httpMethod, event.resource);
    const binding = certificateCheck(event, clientId, called);
    if (!binding.ok) {
      // A bound client on the wrong connection may call nothing: one Deny for the whole stage.
      // An unbound client on a route that needs binding is denied that route only.
      logDecision(route, { decision: "deny", reason: binding.reason, clientId });
      const statements = binding.reason === "client-not-bound" ? policy.deny(prefix, called, event.methodArn) : [denyAll(prefix)];
      return result(check.token, statements, binding.reason);
    }
    let statements: readonly PolicyStatement[];
    if (called >= 0 && policy.grant.permitted[called]) {
      statements = policy.allow(prefix);
      logDecision(route, { decision: "allow", reason: "scopes-satisfied", clientId });
    } else {
      statements = policy.deny(prefix, called, event.methodArn);
      logDecision(route, { decision: "deny", reason: called >= 0 ? "missing-scope" : "unknown-route", clientId });
    }
    return result(check.token, statements);
  }

  const aliases = (options.scopeAliases ?? []).map(({ from, to }) => ({ from: `${from}/`, to: `${to}/` }));
  /** The scope claim with aliased identifiers written as the routes name them (unchanged without aliases). */
  function canonical(scope: string): string {
    if (aliases.length === 0) return scope;
    return scope
      .split(" ")
      .map((s) => {
        const alias = aliases.find((a) => s.startsWith(a.from));
        return alias ? `${alias.to}${s.slice(alias.from.length)}` : s;
      })
      .join(" ");
  }

  function certificateCheck(event: RequestAuthorizerEvent, clientId: string, called: number): ReturnType<typeof checkBinding> {
    const required = called >= 0 && table.routes[called]!.requireBoundCertificate === true;
    const bound = options.bindings?.get(clientId);
    if (bound === undefined && !required) return { ok: true };
    return checkBinding(bound, event.requestContext?.identity?.clientCert?.clientCertPem ?? undefined, required);
  }

  return async function scopeCheckerHandler(event: RequestAuthorizerEvent): Promise<AuthorizerResult> {
    if (typeof event !== "object" || event === null) return refuse("? ?", "bad-event");
    const route = routeLabel(event.httpMethod, event.resource);
    const prefix = methodArnPrefix(event.methodArn);
    if (prefix === undefined) return refuse(route, "bad-event");
    const bearer = extractBearerToken(event.headers, event.multiValueHeaders);
    if (!bearer.ok) return refuse(route, bearer.reason);
    const check = verify(bearer.token);
    return decide(event, prefix, route, check instanceof Promise ? await check : check);
  };
}

function denyAll(prefix: string): PolicyStatement {
  return { Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${prefix}*`] };
}

function result(token: VerifiedAccessToken, statements: readonly PolicyStatement[], denyReason?: CertificateDenyReason): AuthorizerResult {
  return {
    principalId: token.clientId,
    policyDocument: { Version: "2012-10-17", Statement: statements },
    context: { clientId: token.clientId, scope: token.scope, ...(denyReason === undefined ? {} : { denyReason }) },
    // Every verified client's: ignored on methods that require no key (and never logged).
    usageIdentifierKey: usageIdentifierKey(token.clientId),
  };
}
