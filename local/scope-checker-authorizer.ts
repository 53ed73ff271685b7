/**
 * Runs the real scope-checker Lambda handler (lambdas/scope-checker) the way API Gateway would:
 * a REST `REQUEST` authorizer event for the called route, then its answer applied —
 * `Error("Unauthorized")` -> 401, a policy that denies the called method ARN -> 403, a policy
 * that allows it -> the integration runs, anything else -> 500. The Lambda gets the same inputs
 * the construct bakes into its environment: the pool, the allow-list of enabled clients that some
 * scope-checker route would let through, and the scope-checker routes with full scope identifiers.
 */
import { randomUUID } from "node:crypto";
import { scopeCheckerAllowList } from "../model/access";
import { scopeIdentifier } from "../model/aws-urls";
import type { Route } from "../model/model-types";
import { createHandler } from "../lambdas/scope-checker/scope-checker";
import { evaluatePolicy, type PolicyVerdict } from "./iam-policy";
import type { LocalRequest } from "./http-types";
import type { LocalUserPool } from "./user-pool";

/** The account id in local method ARNs: a placeholder, nothing is called in AWS. */
export const LOCAL_ACCOUNT_ID = "000000000000";

export type ScopeCheckerDecision = PolicyVerdict | "no-token" | "unauthorized" | "authorizer-error";

export interface ScopeCheckerOutcome {
  readonly decision: ScopeCheckerDecision;
  /** The usage-plan key the Lambda named (with a policy result only). */
  readonly usageIdentifierKey?: string;
}

export interface ScopeCheckerAuthorizer {
  authorize(request: LocalRequest, route: Route, apiPath: string, pathParameters: Readonly<Record<string, string>>): Promise<ScopeCheckerOutcome>;
}

export interface ScopeCheckerAuthorizerOptions {
  readonly userPool: LocalUserPool;
  readonly routes: readonly Route[];
  readonly restApiId: string;
  readonly stageName: string;
}

/** API Gateway's single-value view keeps the last value of a repeated header or parameter. */
function singleAndMultiValue(pairs: Iterable<readonly [string, string]>) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

export function createScopeCheckerAuthorizer(options: ScopeCheckerAuthorizerOptions): ScopeCheckerAuthorizer {
  const { userPool, restApiId, stageName } = options;
  const allowed = new Set(scopeCheckerAllowList(userPool.clients.map((c) => ({ ...c.model, clientId: c.clientId })), options.routes).map((c) => c.clientId));
  const handler = createHandler({
    userPoolId: userPool.userPoolId,
    clientIds: userPool.clients.filter((c) => allowed.has(c.clientId)).map((c) => c.clientId),
    routes: options.routes
      .filter((r) => r.authorizer === "scope-checker")
      .map((r) => ({ method: r.method, path: r.path, scopes: r.scopes.map((s) => scopeIdentifier(userPool.resourceServerIdentifier, s)) })),
    jwks: { keys: userPool.signingKey.jwks.keys.map((k) => ({ ...k })) },
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
          identity: { sourceIp: request.sourceIp, userAgent: request.headers["user-agent"] ?? null },
        },
      };

      let result: unknown;
      try {
        result = await handler(event);
      } catch (error) {
        return { decision: error instanceof Error && error.message === "Unauthorized" ? "unauthorized" : "authorizer-error" };
      }
      const authorizerResult = result as { principalId?: unknown; policyDocument?: unknown; usageIdentifierKey?: unknown } | null | undefined;
      if (!authorizerResult || typeof authorizerResult.principalId !== "string" || !authorizerResult.policyDocument) return { decision: "authorizer-error" };
      const decision = evaluatePolicy(authorizerResult.policyDocument, methodArn);
      return typeof authorizerResult.usageIdentifierKey === "string" ? { decision, usageIdentifierKey: authorizerResult.usageIdentifierKey } : { decision };
    },
  };
}
