/** M2M-API-001: no method is reachable without an authorizer. */
import { apiDefinitionsOf, authorizersOf, operationsOf, securityOf } from "../api-definitions";
import { referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { findByAddress, resourcesOf } from "../terraform-json";

// The authorizer type each method authorization needs (Terraform resources).
const AUTHORIZER_TYPES: Record<string, readonly string[]> = {
  COGNITO_USER_POOLS: ["COGNITO_USER_POOLS"],
  CUSTOM: ["REQUEST", "TOKEN"],
};

// The same in an OpenAPI document: `x-amazon-apigateway-authtype` -> the authorizer's `type`.
const DOCUMENT_AUTHORIZER_TYPES: Record<string, readonly string[]> = {
  cognito_user_pools: ["cognito_user_pools"],
  custom: ["request", "token"],
};

/** API Gateway's usage-plan key scheme: no authtype and no authorizer of its own. */
function isUsageKeyScheme(scheme: ReturnType<typeof authorizersOf> extends Map<string, infer A> ? A | undefined : never): boolean {
  return scheme !== undefined && scheme.authType === undefined && Object.keys(scheme.authorizer).length === 0 && scheme.name === "api_key";
}

/** What is wrong with an operation's security, if anything. */
function operationProblem(security: unknown, authorizers: ReturnType<typeof authorizersOf>): string | undefined {
  if (!Array.isArray(security) || security.length === 0) return "has no security requirement: the method needs no authorization";
  // API Gateway uses one authorizer per method: alternatives would not be ANDed or ORed as OpenAPI says.
  if (security.length !== 1) return `has ${security.length} security requirements; API Gateway applies one authorizer per method`;
  // A usage-plan key (`api_key`: no authtype, no authorizer) may stand beside the authorizer: it
  // meters the call, it does not authorize it, so it never counts as the one authorizer.
  const all = typeof security[0] === "object" && security[0] !== null ? Object.keys(security[0]) : [];
  const names = all.filter((name) => !isUsageKeyScheme(authorizers.get(name)));
  if (names.length !== 1) return `its security requirement names ${names.length} authorizers, not one${all.length > names.length ? " (an API key is not an authorization)" : ""}`;
  const authorizer = authorizers.get(names[0]!);
  if (!authorizer) return `its security requirement names ${JSON.stringify(names[0])}, which is not an authorizer of the document`;
  const expected = DOCUMENT_AUTHORIZER_TYPES[String(authorizer.authType)];
  if (!expected) return `uses ${authorizer.name}, whose x-amazon-apigateway-authtype ${JSON.stringify(authorizer.authType ?? null)} is not cognito_user_pools or custom (an API key or IAM is not this project's authorization)`;
  if (!expected.includes(authorizer.authorizer.type)) return `uses ${authorizer.name} (${String(authorizer.authType)}) whose authorizer type is ${JSON.stringify(authorizer.authorizer.type ?? null)}`;
  return undefined;
}

export const methodAuthorizerRule: SecurityRule = {
  id: "M2M-API-001",
  rationale: "Every method needs a Cognito or Lambda authorizer: NONE (with or without an API key) or IAM exposes the route",
  resourceTypes: ["aws_api_gateway_rest_api_put", "aws_api_gateway_method"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const definition of apiDefinitionsOf(json)) {
      if ("unreadable" in definition) {
        out.fail(definition.address, `${definition.unreadable}: its methods' authorizers cannot be checked`);
        continue;
      }
      const authorizers = authorizersOf(definition.document);
      for (const { id, operation } of operationsOf(definition.document)) {
        const problem = operationProblem(securityOf(definition.document, operation), authorizers);
        out.expect(definition.address, problem === undefined, `${id} ${problem}`);
      }
    }
    // Methods made as Terraform resources (this project makes none; anything that adds one is checked too).
    for (const method of resourcesOf(json, "aws_api_gateway_method")) {
      const authorization = method.body.authorization;
      const expectedTypes = AUTHORIZER_TYPES[authorization as string];
      if (!expectedTypes) {
        const apiKey = method.body.api_key_required === true ? " (an API key is not an authorization)" : "";
        out.fail(method.address, `authorization is ${JSON.stringify(authorization ?? null)}, not COGNITO_USER_POOLS or CUSTOM${apiKey}`);
        continue;
      }
      const found = referencedAddresses(method.body.authorizer_id, "aws_api_gateway_authorizer", ["id"]);
      const authorizer = found.length === 1 ? findByAddress(json, found[0]) : undefined;
      if (!authorizer) {
        out.fail(method.address, `authorization is ${authorization} but authorizer_id ${JSON.stringify(method.body.authorizer_id ?? null)} is not an authorizer of this stack`);
        continue;
      }
      out.expect(method.address, expectedTypes.includes(authorizer.body.type), `authorization ${authorization} uses ${authorizer.address} of type ${JSON.stringify(authorizer.body.type ?? null)}`);
    }
    return out.outcome();
  },
};
