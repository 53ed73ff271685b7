/**
 * M2M-EDG-003: the mutual-TLS truststore lives in a private, versioned, encrypted, TLS-only
 * bucket, and the domain pins the object's version (a new CA bundle is a planned change).
 */
import { referencesInExpression } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, blocksOf, resourcesOf, type TerraformJson, type TerraformResource } from "../terraform-json";

const refersTo = (value: unknown, address: string) => referencesInExpression(String(value ?? "")).some((r) => r.address === address);

/** The bucket-level resources of a bucket: the ones whose `bucket` argument refers to it. */
function bucketSettings(json: TerraformJson, type: string, bucket: string): TerraformResource[] {
  return resourcesOf(json, type).filter((r) => refersTo(r.body.bucket, bucket));
}

export const truststoreBucketRule: SecurityRule = {
  id: "M2M-EDG-003",
  rationale: "The mTLS truststore bucket is private, versioned, encrypted and TLS-only, and the domain pins the truststore's object version",
  resourceTypes: ["aws_api_gateway_domain_name", "aws_s3_bucket", "aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_policy"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const domain of resourcesOf(json, "aws_api_gateway_domain_name")) {
      const mtls = blockOf(domain.body.mutual_tls_authentication);
      if (mtls === undefined) continue;
      const bucket = referencesInExpression(String(mtls.truststore_uri ?? "")).find((r) => r.address.startsWith("aws_s3_bucket."))?.address;
      if (!out.expect(domain.address, bucket !== undefined, "names a truststore outside this stack (truststore_uri refers to no aws_s3_bucket): its bucket cannot be checked")) continue;
      out.expect(domain.address, referencesInExpression(String(mtls.truststore_version ?? "")).some((r) => r.address.startsWith("aws_s3_object.") && r.attribute === "version_id"), "does not pin truststore_version to the truststore object's version_id");
      const versioning = bucketSettings(json, "aws_s3_bucket_versioning", bucket!);
      out.expect(bucket!, versioning.some((v) => blockOf(v.body.versioning_configuration)?.status === "Enabled"), "is not versioned (aws_s3_bucket_versioning status Enabled)");
      const block = bucketSettings(json, "aws_s3_bucket_public_access_block", bucket!)[0]?.body;
      out.expect(bucket!, block !== undefined && ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].every((k) => block[k] === true), "does not block public access (all four settings of aws_s3_bucket_public_access_block)");
      const encryption = bucketSettings(json, "aws_s3_bucket_server_side_encryption_configuration", bucket!);
      out.expect(bucket!, encryption.some((e) => blocksOf(e.body.rule).some((r) => blockOf(r.apply_server_side_encryption_by_default)?.sse_algorithm !== undefined)), "has no default server-side encryption");
      const policies = bucketSettings(json, "aws_s3_bucket_policy", bucket!);
      out.expect(bucket!, policies.some((p) => /"?aws:SecureTransport"?\s*[=:]\s*"false"/.test(String(p.body.policy)) && /"?Effect"?\s*[=:]\s*"Deny"/.test(String(p.body.policy))), "has no bucket policy denying requests without TLS (aws:SecureTransport false)");
    }
    return out.outcome();
  },
};
