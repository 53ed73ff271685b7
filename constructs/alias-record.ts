/** A Route 53 alias A record: a custom domain's name pointed at what serves it. */
import { Route53Record } from "@cdktn/provider-aws/lib/route53-record";
import type { Construct } from "constructs";
import { named } from "./terraform-names";

export interface AliasTarget {
  /** The target's DNS name (a regional API domain's, a CloudFront distribution's). */
  readonly name: string;
  /** The target's hosted zone id (AWS's, not the caller's). */
  readonly zoneId: string;
}

export function aliasRecord(scope: Construct, terraformName: string, record: { readonly zoneId: string; readonly name: string; readonly target: AliasTarget }): Route53Record {
  return named(
    new Route53Record(scope, "alias", {
      zoneId: record.zoneId,
      name: record.name,
      type: "A",
      alias: { name: record.target.name, zoneId: record.target.zoneId, evaluateTargetHealth: false },
    }),
    terraformName,
  );
}
