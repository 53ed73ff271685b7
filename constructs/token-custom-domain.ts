/**
 * The token endpoint's custom domain: a Cognito custom domain on the user pool (beside its prefix
 * domain, which keeps working), its certificate issued in us-east-1 (Cognito serves custom
 * domains through CloudFront, which takes certificates from there only: the stack's second
 * provider), and with a hosted zone the alias record to Cognito's CloudFront distribution.
 */
import { CognitoUserPoolDomain } from "@cdktn/provider-aws/lib/cognito-user-pool-domain";
import type { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { aliasRecord } from "./alias-record";
import { Construct } from "constructs";
import { DnsValidatedCertificate, type ValidationRecord } from "./dns-validated-certificate";
import { named } from "./terraform-names";

export interface TokenCustomDomainProps {
  readonly domainName: string;
  readonly hostedZoneId?: string;
  readonly userPoolId: string;
  /** The us-east-1 provider. */
  readonly certificateProvider: AwsProvider;
}

export class TokenCustomDomain extends Construct {
  readonly domain: CognitoUserPoolDomain;
  readonly validationRecord: ValidationRecord;

  constructor(scope: Construct, id: string, props: TokenCustomDomainProps) {
    super(scope, id);
    const certificate = new DnsValidatedCertificate(this, "certificate", {
      name: "token_domain",
      domainName: props.domainName,
      provider: props.certificateProvider,
      ...(props.hostedZoneId === undefined ? {} : { hostedZoneId: props.hostedZoneId }),
    });
    this.validationRecord = certificate.validationRecord;
    this.domain = named(
      new CognitoUserPoolDomain(this, "domain", { domain: props.domainName, certificateArn: certificate.certificateArn, userPoolId: props.userPoolId }),
      "token_domain",
    );
    if (props.hostedZoneId !== undefined) {
      aliasRecord(this, "token_domain", { zoneId: props.hostedZoneId, name: props.domainName, target: { name: this.domain.cloudfrontDistribution, zoneId: this.domain.cloudfrontDistributionZoneId } });
    }
  }
}
