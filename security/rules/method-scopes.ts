/** M2M-API-002: Cognito-authorized methods name the scopes they need. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

export const methodScopesRule: SecurityRule = {
  id: "M2M-API-002",
  rationale: "A COGNITO_USER_POOLS method without authorization_scopes takes any ID token and no access token: scopes are the access rule",
  resourceTypes: ["aws_api_gateway_method"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const method of resourcesOf(json, "aws_api_gateway_method")) {
      if (method.body.authorization !== "COGNITO_USER_POOLS") continue;
      const scopes: unknown = method.body.authorization_scopes;
      const valid = Array.isArray(scopes) && scopes.length > 0 && scopes.every((s) => typeof s === "string" && s.trim() !== "");
      out.expect(method.address, valid, `has no authorization_scopes (got ${JSON.stringify(scopes ?? null)})`);
    }
    return out.outcome();
  },
};
