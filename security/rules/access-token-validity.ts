/** M2M-COG-003: access tokens live between 5 minutes and 1 day, stated explicitly. */
import { ACCESS_TOKEN_VALIDITY, SECONDS_PER_UNIT } from "../../model/aws-limits";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, resourcesOf } from "../terraform-json";

function validityProblem(client: Record<string, any>): string | undefined {
  const value = client.access_token_validity;
  if (typeof value !== "number") return "access_token_validity is not set (Cognito's default would apply unseen)";
  const unit = blockOf(client.token_validity_units)?.access_token;
  if (typeof unit !== "string") return "token_validity_units.access_token is not set (the provider would read the value in hours)";
  const perUnit = (SECONDS_PER_UNIT as Record<string, number>)[unit];
  if (perUnit === undefined) return `token_validity_units.access_token is ${JSON.stringify(unit)}, not one of seconds, minutes, hours, days`;
  const seconds = value * perUnit;
  if (seconds < ACCESS_TOKEN_VALIDITY.minSeconds || seconds > ACCESS_TOKEN_VALIDITY.maxSeconds) return `access token validity is ${value} ${unit}, outside 5 minutes to 1 day`;
  return undefined;
}

export const accessTokenValidityRule: SecurityRule = {
  id: "M2M-COG-003",
  rationale: "Client-credentials tokens cannot be revoked: their validity (5 min to 1 day, explicit units) bounds how long a leaked one works",
  resourceTypes: ["aws_cognito_user_pool_client"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const client of resourcesOf(json, "aws_cognito_user_pool_client")) {
      const problem = validityProblem(client.body);
      out.expect(client.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
