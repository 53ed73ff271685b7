/** M2M-API-001: no method is reachable without an authorizer. */
import { referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { findByAddress, resourcesOf } from "../terraform-json";

// The authorizer type each method authorization needs.
const AUTHORIZER_TYPES: Record<string, readonly string[]> = {
  COGNITO_USER_POOLS: ["COGNITO_USER_POOLS"],
  CUSTOM: ["REQUEST", "TOKEN"],
};

export const methodAuthorizerRule: SecurityRule = {
  id: "M2M-API-001",
  rationale: "Every method needs a Cognito or Lambda authorizer: NONE (with or without an API key) or IAM exposes the route",
  resourceTypes: ["aws_api_gateway_method"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const method of resourcesOf(json, "aws_api_gateway_method")) {
      const authorization = method.body.authorization;
      const expectedTypes = AUTHORIZER_TYPES[authorization as string];
      if (!expectedTypes) {
        const apiKey = method.body.api_key_required === true ? " (an API key is not an authorization)" : "";
        out.fail(method.address, `authorization is ${JSON.stringify(authorization ?? null)}, not COGNITO_USER_POOLS or CUSTOM${apiKey}`);
        continue;
      }
      const authorizers = referencedAddresses(method.body.authorizer_id, "aws_api_gateway_authorizer", ["id"]);
      const authorizer = authorizers.length === 1 ? findByAddress(json, authorizers[0]) : undefined;
      if (!authorizer) {
        out.fail(method.address, `authorization is ${authorization} but authorizer_id ${JSON.stringify(method.body.authorizer_id ?? null)} is not an authorizer of this stack`);
        continue;
      }
      out.expect(
        method.address,
        expectedTypes.includes(authorizer.body.type),
        `authorization ${authorization} uses ${authorizer.address} of type ${JSON.stringify(authorizer.body.type ?? null)}`,
      );
    }
    return out.outcome();
  },
};
