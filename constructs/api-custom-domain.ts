/**
 * The APIs' custom domain: a regional API Gateway domain name with a DNS-validated ACM
 * certificate and TLS 1.2 at least, one base-path mapping per API (`/<api name>`), optionally
 * mutual TLS with the truststore's pinned version, and with a hosted zone the alias record.
 * The REST APIs it serves have their execute-api endpoint disabled (ProtectedRestApi), so the
 * domain, and its mutual TLS, cannot be gone around.
 */
import { ApiGatewayBasePathMapping } from "@cdktn/provider-aws/lib/api-gateway-base-path-mapping";
import { ApiGatewayDomainName } from "@cdktn/provider-aws/lib/api-gateway-domain-name";
import { aliasRecord } from "./alias-record";
import { Construct } from "constructs";
import type { CustomDomain } from "../model/model-types";
import { DnsValidatedCertificate, type ValidationRecord } from "./dns-validated-certificate";
import type { MtlsTruststore } from "./mtls-truststore";
import { named } from "./terraform-names";

/** API Gateway's policy name for TLS 1.2 and later (TLS 1.0/1.1 are refused). */
export const DOMAIN_SECURITY_POLICY = "TLS_1_2";

export interface ApiCustomDomainProps {
  readonly domain: CustomDomain;
  readonly truststore?: MtlsTruststore;
  /** Each API's REST API id and stage name (the stage resource's attribute: the mapping waits for the stage). */
  readonly apis: readonly { readonly name: string; readonly restApiId: string; readonly stageName: string }[];
}

export class ApiCustomDomain extends Construct {
  readonly domainName: ApiGatewayDomainName;
  readonly validationRecord: ValidationRecord;

  constructor(scope: Construct, id: string, props: ApiCustomDomainProps) {
    super(scope, id);
    const { domain, truststore } = props;
    const certificate = new DnsValidatedCertificate(this, "certificate", {
      name: "api_domain",
      domainName: domain.apiDomainName,
      ...(domain.hostedZoneId === undefined ? {} : { hostedZoneId: domain.hostedZoneId }),
    });
    this.validationRecord = certificate.validationRecord;
    this.domainName = named(
      new ApiGatewayDomainName(this, "domain-name", {
        domainName: domain.apiDomainName,
        regionalCertificateArn: certificate.certificateArn,
        endpointConfiguration: { types: ["REGIONAL"] },
        securityPolicy: DOMAIN_SECURITY_POLICY,
        // The version is pinned: a new CA bundle is a new object version and a planned change here.
        ...(truststore ? { mutualTlsAuthentication: { truststoreUri: truststore.uri, truststoreVersion: truststore.object.versionId } } : {}),
      }),
      "api_domain",
    );
    for (const api of props.apis) {
      named(
        new ApiGatewayBasePathMapping(this, `mapping-${api.name}`, {
          domainName: this.domainName.domainName,
          apiId: api.restApiId,
          stageName: api.stageName,
          basePath: api.name,
        }),
        `api_domain_${api.name}`,
      );
    }
    if (domain.hostedZoneId !== undefined) {
      aliasRecord(this, "api_domain", { zoneId: domain.hostedZoneId, name: domain.apiDomainName, target: { name: this.domainName.regionalDomainName, zoneId: this.domainName.regionalZoneId } });
    }
  }
}
