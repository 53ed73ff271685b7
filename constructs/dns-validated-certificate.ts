/**
 * A public ACM certificate for one domain name, validated by DNS. With a Route 53 hosted zone,
 * the validation record is created there; without one, the record is a stack output for whoever
 * runs the zone, and the validation resource waits until ACM sees it (README: run the first
 * apply with `-target` on the certificate, add the record, then apply the rest). Either way
 * `certificateArn` is the validation's, so nothing uses the certificate before it is issued.
 */
import { AcmCertificate } from "@cdktn/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktn/provider-aws/lib/acm-certificate-validation";
import type { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { Route53Record } from "@cdktn/provider-aws/lib/route53-record";
import { Fn } from "cdktn";
import { Construct } from "constructs";
import { named } from "./terraform-names";

export interface DnsValidatedCertificateProps {
  /** Names the Terraform resources: `<name>_certificate`, `<name>_certificate_validation`. */
  readonly name: string;
  readonly domainName: string;
  readonly hostedZoneId?: string;
  /** The provider of the certificate's region (us-east-1 for a Cognito custom domain). @default the stack's */
  readonly provider?: AwsProvider;
}

/** The one DNS record ACM asks for (one domain name, no alternative names: one record). */
export interface ValidationRecord {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

export class DnsValidatedCertificate extends Construct {
  readonly certificate: AcmCertificate;
  /** The certificate's ARN once ACM has issued it. */
  readonly certificateArn: string;
  readonly validationRecord: ValidationRecord;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const provider = props.provider ? { provider: props.provider } : {};
    this.certificate = named(
      new AcmCertificate(this, "certificate", {
        ...provider,
        domainName: props.domainName,
        validationMethod: "DNS",
        // A replacement certificate is issued before the domain lets go of the old one.
        lifecycle: { createBeforeDestroy: true },
      }),
      `${props.name}_certificate`,
    );
    const option = (field: string) => Fn.lookup(Fn.element(Fn.tolist(this.certificate.domainValidationOptions), 0), field, "");
    this.validationRecord = { name: option("resource_record_name"), type: option("resource_record_type"), value: option("resource_record_value") };
    const record = props.hostedZoneId
      ? named(
          new Route53Record(this, "validation-record", {
            zoneId: props.hostedZoneId,
            name: this.validationRecord.name,
            type: this.validationRecord.type,
            records: [this.validationRecord.value],
            ttl: 300,
            // ACM gives every certificate of a name the same record: a replacement reuses it.
            allowOverwrite: true,
          }),
          `${props.name}_certificate_validation`,
        )
      : undefined;
    const validation = named(
      new AcmCertificateValidation(this, "validation", {
        ...provider,
        certificateArn: this.certificate.arn,
        ...(record ? { validationRecordFqdns: [record.fqdn] } : {}),
      }),
      `${props.name}_certificate`,
    );
    this.certificateArn = validation.certificateArn;
  }
}
