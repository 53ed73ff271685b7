/**
 * The mutual-TLS truststore: the trusted CAs as one PEM object in a private, versioned,
 * encrypted, TLS-only S3 bucket. The API domain pins the object's `version_id`, so a new CA
 * bundle is a planned change of the domain (a reviewer sees it), never a silent swap, and the
 * previous version stays in the bucket to roll back to.
 */
import { createHash } from "node:crypto";
import { S3Bucket } from "@cdktn/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktn/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktn/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktn/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktn/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktn/provider-aws/lib/s3-bucket-versioning";
import { S3Object } from "@cdktn/provider-aws/lib/s3-object";
import { Fn } from "cdktn";
import { Construct } from "constructs";
import { named } from "./terraform-names";

export interface MtlsTruststoreProps {
  /** `<server>-<environment>`: the bucket's name prefix (S3 adds a unique suffix). */
  readonly namePrefix: string;
  /** The CA certificates, PEM, as the model built them (deterministic). */
  readonly pem: string;
}

export const TRUSTSTORE_KEY = "truststore.pem";

export class MtlsTruststore extends Construct {
  readonly bucket: S3Bucket;
  readonly object: S3Object;
  /** `s3://<bucket>/truststore.pem`, what the domain's mutual TLS settings name. */
  readonly uri: string;

  constructor(scope: Construct, id: string, props: MtlsTruststoreProps) {
    super(scope, id);
    this.bucket = named(new S3Bucket(this, "bucket", { bucketPrefix: `${props.namePrefix}-truststore-`.slice(0, 37) }), "truststore");
    const versioning = named(new S3BucketVersioningA(this, "versioning", { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } }), "truststore");
    named(
      new S3BucketPublicAccessBlock(this, "public-access-block", { bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
      "truststore",
    );
    named(new S3BucketOwnershipControls(this, "ownership", { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }), "truststore");
    const encryption = named(
      new S3BucketServerSideEncryptionConfigurationA(this, "encryption", { bucket: this.bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
      "truststore",
    );
    named(
      new S3BucketPolicy(this, "policy", {
        bucket: this.bucket.id,
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      }),
      "truststore",
    );
    this.object = named(
      new S3Object(this, "object", {
        bucket: this.bucket.id,
        key: TRUSTSTORE_KEY,
        content: props.pem,
        contentType: "application/x-pem-file",
        // The content's own hash in the state and the plan: a changed CA file reads as such.
        sourceHash: createHash("sha256").update(props.pem).digest("hex"),
        // A version_id exists only once versioning is on; encrypted from the first write.
        dependsOn: [versioning, encryption],
      }),
      "truststore",
    );
    this.uri = `s3://${this.bucket.id}/${TRUSTSTORE_KEY}`;
  }
}
