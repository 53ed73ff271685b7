/**
 * The certificate API Gateway presents to HTTP backends (an API Gateway client certificate on
 * the stage): a backend verifies it (backends/gateway-certificate.ts) and so tells the gateway's
 * requests, whose X-M2M-* identity headers it may trust, from anyone calling it directly.
 *
 * API Gateway issues it for 365 days and does not renew it. No CloudWatch metric reports its
 * expiry (ACM's DaysToExpiry covers ACM certificates only, and this is not one), so no alarm can
 * watch it here: the stack outputs its expiration date and PEM, and the rotation is a replace
 * (`terraform apply -replace=<address>`; README, "Rotating the backend certificate") with
 * create_before_destroy, after the backends have been given the new PEM beside the old one.
 */
import { ApiGatewayClientCertificate } from "@cdktn/provider-aws/lib/api-gateway-client-certificate";
import type { Construct } from "constructs";
import { named } from "./terraform-names";

export function backendClientCertificate(scope: Construct, namePrefix: string): ApiGatewayClientCertificate {
  return named(
    new ApiGatewayClientCertificate(scope, "backend-client-certificate", {
      description: `${namePrefix}: presented to HTTP backends`,
      lifecycle: { createBeforeDestroy: true },
    }),
    "backend_client_certificate",
  );
}
