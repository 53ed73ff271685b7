/**
 * The REST API's resource policy for partners with fixed egress IPs: calls from any other
 * source are denied before an authorizer runs. (A policy change takes effect on redeployment,
 * so the API adds it to its deployment trigger.)
 */
import { ApiGatewayRestApiPolicy } from "@cdktf/provider-aws/lib/api-gateway-rest-api-policy";
import type { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { Fn } from "cdktf";
import type { Construct } from "constructs";
import { named } from "./terraform-names";

export function createSourceIpPolicy(scope: Construct, restApi: ApiGatewayRestApi, allowedSourceIps: readonly string[]): ApiGatewayRestApiPolicy {
  const resource = `${restApi.executionArn}/*`;
  return named(
    new ApiGatewayRestApiPolicy(scope, "source-ip-policy", {
      restApiId: restApi.id,
      policy: Fn.jsonencode({
        Version: "2012-10-17",
        Statement: [
          { Sid: "AllowInvoke", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: resource },
          {
            Sid: "DenyOtherSources",
            Effect: "Deny",
            Principal: "*",
            Action: "execute-api:Invoke",
            Resource: resource,
            Condition: { NotIpAddress: { "aws:SourceIp": [...allowedSourceIps] } },
          },
        ],
      }),
    }),
    "source_ips",
  );
}
