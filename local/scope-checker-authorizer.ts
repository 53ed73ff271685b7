/**
 * Runs the real scope-checker Lambda handler (lambdas/scope-checker) the way API Gateway would:
 * a REST `REQUEST` authorizer event for the called route, then its answer applied —
 * `Error("Unauthorized")` -> 401, a policy that denies the called method ARN -> 403, a policy
 * that allows it -> the integration runs, anything else -> 500. The Lambda gets the same inputs
 * the construct bakes into its environment: the pool, the allow-list of enabled clients that some
 * scope-checker route would let through, and the scope-checker routes with full scope identifiers.
 * One per API, as deployed: its allow-list and routes are that API's, its scopes are under that
 * API's resource server, so a client with scopes on other APIs only is not on its allow-list (401).
 */
import { randomUUID, X509Certificate } from "node:crypto";
import { scopeCheckerAllowList } from "../model/access";
import { scopeIdentifier } from "../model/aws-urls";
import type { Route } from "../model/model-types";
import { createHandler } from "../lambdas/scope-checker/scope-checker";
import type { CallerIdentity } from "./caller-identity";
import { evaluatePolicy, type PolicyVerdict } from "./iam-policy";
import type { LocalRequest } from "./http-types";
import { headerPairs, LOCAL_ACCOUNT_ID, singleAndMultiValue } from "./proxy-event";
import type { LocalUserPool } from "./user-pool";

export { LOCAL_ACCOUNT_ID };

export type ScopeCheckerDecision = PolicyVerdict | "no-token" | "unauthorized" | "authorizer-error";

/** The decision, and on allow the principal and context the Lambda returned (which API Gateway hands the integration) and the usage-plan key it named. */
export type ScopeCheckerResult =
  | { readonly decision: "allow"; readonly identity: CallerIdentity; readonly usageIdentifierKey?: string }
  | { readonly decision: "explicit-deny" | "implicit-deny"; readonly reason?: string }
  | { readonly decision: Exclude<ScopeCheckerDecision, "allow" | "explicit-deny" | "implicit-deny"> };

export interface ScopeCheckerAuthorizer {
  authorize(request: LocalRequest, route: Route, apiPath: string, pathParameters: Readonly<Record<string, string>>): Promise<ScopeCheckerResult>;
}

export interface ScopeCheckerAuthorizerOptions {
  readonly userPool: LocalUserPool;
  /** The API's resource server identifier (what the deployed function gets as RESOURCE_SERVER_ID). */
  readonly resourceServerIdentifier: string;
  /** The API's routes (each carrying its API). */
  readonly routes: readonly Route[];
  readonly restApiId: string;
  readonly stageName: string;
}


/** API Gateway passes on only string, number and boolean context values. */
function contextValues(context: unknown): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  if (typeof context !== "object" || context === null) return out;
  for (const [key, value] of Object.entries(context)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = value;
  }
  return out;
}

/** `requestContext.identity.clientCert` as API Gateway fills it on a mutual-TLS domain. */
function clientCertOf(pem: string): Record<string, unknown> {
  const cert = new X509Certificate(pem);
  const dn = (name: string) => name.split("\n").reverse().join(",");
  return {
    clientCertPem: pem,
    subjectDN: dn(cert.subject),
    issuerDN: dn(cert.issuer),
    serialNumber: cert.serialNumber.match(/.{1,2}/g)!.join(":").toLowerCase(),
    validity: { notBefore: cert.validFrom, notAfter: cert.validTo },
  };
}

export function createScopeCheckerAuthorizer(options: ScopeCheckerAuthorizerOptions): ScopeCheckerAuthorizer {
  const { userPool, restApiId, stageName } = options;
  const allowed = new Set(scopeCheckerAllowList(userPool.clients.map((c) => ({ ...c.model, clientId: c.clientId })), options.routes).map((c) => c.clientId));
  const handler = createHandler({
    userPoolId: userPool.userPoolId,
    issuer: userPool.issuer,
    clientIds: userPool.clients.filter((c) => allowed.has(c.clientId)).map((c) => c.clientId),
    routes: options.routes
      .filter((r) => r.authorizer === "scope-checker")
      .map((r) => ({ method: r.method, path: r.path, scopes: r.scopes.map((s) => scopeIdentifier(options.resourceServerIdentifier, s)), ...(r.requireBoundCertificate ? { requireBoundCertificate: true } : {}) })),
    jwks: { keys: userPool.signingKey.jwks.keys.map((k) => ({ ...k })) },
    // As the construct writes them into the access file: enabled clients bound to a certificate.
    bindings: new Map(userPool.clients.filter((c) => c.model.certificate !== undefined && allowed.has(c.clientId)).map((c) => [c.clientId, c.model.certificate!])),
  });

  return {
    async authorize(request, route, apiPath, pathParameters) {
      const headers = singleAndMultiValue(headerPairs(request.rawHeaders));
      // The authorizer's identity source is the Authorization header: without it API Gateway
      // answers 401 itself and never invokes the Lambda.
      const hasAuthorization = Object.keys(headers.single).some((h) => h.toLowerCase() === "authorization" && headers.single[h]!.trim() !== "");
      if (!hasAuthorization) return { decision: "no-token" };

      const query = singleAndMultiValue(request.query.entries());
      const methodArn = `arn:aws:execute-api:${userPool.region}:${LOCAL_ACCOUNT_ID}:${restApiId}/${stageName}/${request.method}/${apiPath.replace(/^\//, "")}`;
      const now = Date.now();
      const event = {
        type: "REQUEST",
        methodArn,
        resource: route.path,
        path: apiPath,
        httpMethod: request.method,
        headers: headers.single,
        multiValueHeaders: headers.multi,
        queryStringParameters: Object.keys(query.single).length > 0 ? query.single : null,
        multiValueQueryStringParameters: Object.keys(query.multi).length > 0 ? query.multi : null,
        pathParameters: Object.keys(pathParameters).length > 0 ? { ...pathParameters } : null,
        stageVariables: null,
        requestContext: {
          accountId: LOCAL_ACCOUNT_ID,
          apiId: restApiId,
          stage: stageName,
          resourcePath: route.path,
          httpMethod: request.method,
          path: `/${stageName}${apiPath}`,
          protocol: "HTTP/1.1",
          requestId: randomUUID(),
          requestTimeEpoch: now,
          identity: { sourceIp: request.sourceIp, userAgent: request.headers["user-agent"] ?? null, ...(request.clientCertPem === undefined ? {} : { clientCert: clientCertOf(request.clientCertPem) }) },
        },
      };

      let result: unknown;
      try {
        result = await handler(event);
      } catch (error) {
        return { decision: error instanceof Error && error.message === "Unauthorized" ? "unauthorized" : "authorizer-error" };
      }
      const authorizerResult = result as { principalId?: unknown; policyDocument?: unknown; context?: unknown; usageIdentifierKey?: unknown } | null | undefined;
      if (!authorizerResult || typeof authorizerResult.principalId !== "string" || !authorizerResult.policyDocument) return { decision: "authorizer-error" };
      const verdict = evaluatePolicy(authorizerResult.policyDocument, methodArn);
      if (verdict !== "allow") {
        const reason = contextValues(authorizerResult.context).denyReason;
        return typeof reason === "string" ? { decision: verdict, reason } : { decision: verdict };
      }
      const identity: CallerIdentity = { authorizer: "scope-checker", principalId: authorizerResult.principalId, context: contextValues(authorizerResult.context) };
      return typeof authorizerResult.usageIdentifierKey === "string" ? { decision: "allow", identity, usageIdentifierKey: authorizerResult.usageIdentifierKey } : { decision: "allow", identity };
    },
  };
}
