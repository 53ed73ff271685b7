/**
 * M2M-API-010: what serves a route is reached safely. An HTTP integration calls its upstream
 * over https only (the request carries the caller's data and identity), and an `http_proxy`
 * integration maps `X-M2M-Client-Id` and `X-M2M-Scopes` from the authorizer's result of the
 * operation's own authorizer (a mapping replaces a header the caller sent; without it, the
 * caller's own header would reach the backend as its identity). Every integration waits at most
 * API Gateway's 29 s, and a Lambda integration invokes a Lambda function.
 */
import { IDENTITY_HEADERS, INTEGRATION_TIMEOUT_MAX_MS } from "../../model/backends";
import { apiDefinitionsOf, authorizersOf, operationsOf, securityOf } from "../api-definitions";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

const LAMBDA_INVOKE_URI = /^(\$\{aws_lambda_function\.[\w-]+\.invoke_arn\}|arn:aws(-[a-z]+)*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/arn:aws(-[a-z]+)*:lambda:[^/]+\/invocations)$/;

/** The context values the identity headers must come from, for the operation's authorizer type. */
function expectedSources(authType: unknown): { clientId: string; scopes: string } | undefined {
  if (authType === "cognito_user_pools") return { clientId: "context.authorizer.claims.client_id", scopes: "context.authorizer.claims.scope" };
  if (authType === "custom") return { clientId: "context.authorizer.clientId", scopes: "context.authorizer.scope" };
  return undefined;
}

function integrationProblems(integration: Record<string, any>, authType: unknown): string[] {
  const problems: string[] = [];
  const type = String(integration.type ?? "").toLowerCase();
  const timeout = integration.timeoutInMillis;
  if (timeout !== undefined && (typeof timeout !== "number" || timeout > INTEGRATION_TIMEOUT_MAX_MS)) problems.push(`timeoutInMillis ${JSON.stringify(timeout)} exceeds API Gateway's ${INTEGRATION_TIMEOUT_MAX_MS} ms`);
  if (type === "http" || type === "http_proxy") {
    if (typeof integration.uri !== "string" || !integration.uri.startsWith("https://")) problems.push(`calls ${JSON.stringify(integration.uri ?? null)}, not an https URL (plaintext http upstream)`);
    if (type === "http_proxy") {
      const expected = expectedSources(authType);
      const mapped = (integration.requestParameters ?? {}) as Record<string, unknown>;
      for (const [header, source] of [[IDENTITY_HEADERS.clientId, expected?.clientId], [IDENTITY_HEADERS.scopes, expected?.scopes]] as const) {
        const value = mapped[`integration.request.header.${header}`];
        if (source === undefined || value !== source) problems.push(`maps ${header} from ${JSON.stringify(value ?? null)}, not the authorizer's ${source ?? "result"}: a caller's own ${header} would reach the backend`);
      }
    }
  }
  if (type === "aws_proxy" || type === "aws") {
    const uri = integration.uri;
    if (typeof uri === "string" && uri.includes(":lambda:") && !LAMBDA_INVOKE_URI.test(uri)) problems.push(`uri ${JSON.stringify(uri)} is not a Lambda function's invocation URI`);
    if (type === "aws_proxy" && integration.httpMethod !== "POST") problems.push(`invokes Lambda with ${JSON.stringify(integration.httpMethod ?? null)}, not POST`);
  }
  return problems;
}

export const backendIntegrationsRule: SecurityRule = {
  id: "M2M-API-010",
  rationale: "Integrations reach their backend safely: https upstreams only, X-M2M-Client-Id/X-M2M-Scopes mapped from the operation's authorizer (never the caller's), at most 29 s",
  resourceTypes: ["aws_api_gateway_rest_api_put", "aws_api_gateway_integration"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const definition of apiDefinitionsOf(json)) {
      if ("unreadable" in definition) continue; // M2M-API-001 fails it
      const authorizers = authorizersOf(definition.document);
      const problems: string[] = [];
      for (const { id, operation } of operationsOf(definition.document)) {
        const integration = operation["x-amazon-apigateway-integration"];
        if (typeof integration !== "object" || integration === null) continue;
        const security = securityOf(definition.document, operation);
        const [requirement] = Array.isArray(security) ? security : [];
        const name = Object.keys((requirement ?? {}) as Record<string, unknown>)[0];
        const authType = name === undefined ? undefined : authorizers.get(name)?.authType;
        problems.push(...integrationProblems(integration, authType).map((p) => `${id} ${p}`));
      }
      out.expect(definition.address, problems.length === 0, problems.join("; "));
    }
    for (const integration of resourcesOf(json, "aws_api_gateway_integration")) {
      const type = String(integration.body.type ?? "");
      if ((type === "HTTP" || type === "HTTP_PROXY") && !(typeof integration.body.uri === "string" && integration.body.uri.startsWith("https://"))) {
        out.fail(integration.address, `calls ${JSON.stringify(integration.body.uri ?? null)}, not an https URL (plaintext http upstream)`);
      } else out.checked(integration.address);
    }
    return out.outcome();
  },
};
