/**
 * API Gateway's own 401 and 403 answers, made OAuth-shaped: a JSON body and an RFC 6750
 * `WWW-Authenticate: Bearer` challenge, so clients know to fetch (or refresh) a token.
 */
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import type { Construct } from "constructs";
import { insufficientScopeChallenge, unauthorizedChallenge } from "../model/oauth-challenges";
import { named } from "./terraform-names";

/** Header values in gateway responses are static strings, single-quoted for API Gateway. */
const staticValue = (value: string) => `'${value}'`;

export function createGatewayResponses(scope: Construct, restApiId: string, realm: string): ApiGatewayGatewayResponse[] {
  const body = { "application/json": '{"message":$context.error.messageString}' };
  return [
    named(
      new ApiGatewayGatewayResponse(scope, "unauthorized", {
        restApiId,
        responseType: "UNAUTHORIZED",
        statusCode: "401",
        responseTemplates: body,
        responseParameters: { "gatewayresponse.header.WWW-Authenticate": staticValue(unauthorizedChallenge(realm)) },
      }),
      "unauthorized",
    ),
    named(
      new ApiGatewayGatewayResponse(scope, "access-denied", {
        restApiId,
        responseType: "ACCESS_DENIED",
        statusCode: "403",
        responseTemplates: body,
        responseParameters: {
          "gatewayresponse.header.WWW-Authenticate": staticValue(insufficientScopeChallenge(realm)),
        },
      }),
      "access_denied",
    ),
  ];
}
