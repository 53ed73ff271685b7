/** M2M-COG-001: app clients use the client-credentials grant and nothing else. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

const isEmpty = (value: unknown) => value === undefined || value === null || (Array.isArray(value) && value.length === 0);

function flowProblem(client: Record<string, any>): string | undefined {
  const { allowed_oauth_flows: flows, allowed_oauth_flows_user_pool_client: oauthOn, allowed_oauth_scopes: scopes } = client;
  // A cut-off client has no app client at all (see AuthorizationServer), so every app client
  // here is a live client-credentials client.
  if (!Array.isArray(flows) || flows.length !== 1 || flows[0] !== "client_credentials") {
    return `allowed_oauth_flows is ${JSON.stringify(flows ?? null)}, not ["client_credentials"]`;
  }
  if (oauthOn !== true) return "allowed_oauth_flows_user_pool_client is not true";
  if (!Array.isArray(scopes) || scopes.length === 0) return "allowed_oauth_scopes is empty: the client would get tokens for no scope";
  // Client credentials needs no user sign-in: only the refresh-token flow Cognito always keeps.
  const authFlows: unknown = client.explicit_auth_flows;
  const extra = Array.isArray(authFlows) ? authFlows.filter((f) => f !== "ALLOW_REFRESH_TOKEN_AUTH") : [];
  if (extra.length > 0) return `explicit_auth_flows allows user sign-in flows ${JSON.stringify(extra)}`;
  if (!isEmpty(client.callback_urls)) return "has callback_urls: a machine client has no redirect";
  return undefined;
}

export const clientFlowsRule: SecurityRule = {
  id: "M2M-COG-001",
  rationale: "App clients allow only the client_credentials grant, with scopes; no user flows, no redirects (a cut-off client has no app client)",
  resourceTypes: ["aws_cognito_user_pool_client"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const client of resourcesOf(json, "aws_cognito_user_pool_client")) {
      const problem = flowProblem(client.body);
      out.expect(client.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
