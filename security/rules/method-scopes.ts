/** M2M-API-002: Cognito-authorized methods name the scopes they need. */
import { apiDefinitionsOf, authorizersOf, operationsOf, securityOf } from "../api-definitions";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

const validScopes = (scopes: unknown) => Array.isArray(scopes) && scopes.length > 0 && scopes.every((s) => typeof s === "string" && s.trim() !== "");

export const methodScopesRule: SecurityRule = {
  id: "M2M-API-002",
  rationale: "A COGNITO_USER_POOLS method without authorization scopes takes any ID token and no access token: scopes are the access rule",
  resourceTypes: ["aws_api_gateway_rest_api_put", "aws_api_gateway_method"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const definition of apiDefinitionsOf(json)) {
      if ("unreadable" in definition) continue; // M2M-API-001 fails it
      const authorizers = authorizersOf(definition.document);
      for (const { id, operation } of operationsOf(definition.document)) {
        const security = securityOf(definition.document, operation);
        if (!Array.isArray(security)) continue;
        for (const requirement of security) {
          for (const [name, scopes] of Object.entries((requirement ?? {}) as Record<string, unknown>)) {
            if (authorizers.get(name)?.authType !== "cognito_user_pools") continue;
            out.expect(definition.address, validScopes(scopes), `${id} uses ${name} with no authorization scopes (got ${JSON.stringify(scopes ?? null)})`);
          }
        }
      }
    }
    for (const method of resourcesOf(json, "aws_api_gateway_method")) {
      if (method.body.authorization !== "COGNITO_USER_POOLS") continue;
      const scopes: unknown = method.body.authorization_scopes;
      out.expect(method.address, validScopes(scopes), `has no authorization_scopes (got ${JSON.stringify(scopes ?? null)})`);
    }
    return out.outcome();
  },
};
