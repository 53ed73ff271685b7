/**
 * The partner edge as synthesized (issue 24), from the real example config
 * (examples/partner-edge): custom domains with DNS-validated certificates, base paths, the
 * execute-api endpoint disabled (on the REST API and in the put's document), scope identifiers
 * keyed to the custom domain, the truststore's pinned version, the us-east-1 provider for the
 * token domain's certificate, the stage client certificate for HTTP backends, and certificate
 * bindings in the scope checker's access file with result caching off.
 */
import * as path from "node:path";
import { X509Certificate } from "node:crypto";
import type { M2MConfigInput } from "../../model/config-types";
import { loadConfigFile } from "../../model/load-config";
import { validateConfig } from "../../model/validate";
import { resourceOf, resourcesOf, synthModel, type SynthesizedStack } from "../support/synth";

const config = loadConfigFile(path.join(__dirname, "..", "..", "examples", "partner-edge", "m2m.config.ts")) as M2MConfigInput;
const model = validateConfig(config);
const stacks = synthModel(model);
const prod = stacks.prod!;
const dev = stacks.dev!;
const documentOf = (stack: SynthesizedStack, api: string) => JSON.parse(resourceOf(stack, "aws_api_gateway_rest_api_put", `${api}_api`).body as string);

describe("the API custom domain", () => {
  it("is regional, TLS 1.2 at least, on the validated certificate, with mutual TLS on the pinned truststore version", () => {
    expect(resourceOf(prod, "aws_api_gateway_domain_name", "api_domain")).toMatchObject({
      domain_name: "api.example.com",
      endpoint_configuration: { types: ["REGIONAL"] },
      security_policy: "TLS_1_2",
      regional_certificate_arn: "${aws_acm_certificate_validation.api_domain_certificate.certificate_arn}",
      mutual_tls_authentication: { truststore_uri: "s3://${aws_s3_bucket.truststore.id}/truststore.pem", truststore_version: "${aws_s3_object.truststore.version_id}" },
    });
    expect(resourceOf(prod, "aws_acm_certificate", "api_domain_certificate")).toMatchObject({ domain_name: "api.example.com", validation_method: "DNS", lifecycle: { create_before_destroy: true } });
  });

  it("maps each API at its name", () => {
    const mappings = resourcesOf(prod, "aws_api_gateway_base_path_mapping");
    expect(Object.values(mappings).map((m) => [m.base_path, m.api_id, m.stage_name])).toEqual([
      ["content", "${aws_api_gateway_rest_api.content_rest_api.id}", "${aws_api_gateway_stage.content_stage.stage_name}"],
      ["payments", "${aws_api_gateway_rest_api.payments_rest_api.id}", "${aws_api_gateway_stage.payments_stage.stage_name}"],
    ]);
  });

  it("disables the execute-api endpoint on the REST API and in the document the put applies", () => {
    for (const api of ["content", "payments"]) {
      expect(resourceOf(prod, "aws_api_gateway_rest_api", `${api}_rest_api`).disable_execute_api_endpoint).toBe(true);
      expect(documentOf(prod, api).servers).toEqual([{ url: `https://api.example.com/${api}`, "x-amazon-apigateway-endpoint-configuration": { disableExecuteApiEndpoint: true } }]);
    }
  });

  it("creates DNS records in the hosted zone when there is one, and outputs them when not", () => {
    expect(Object.keys(resourcesOf(prod, "aws_route53_record")).sort()).toEqual(["api_domain", "api_domain_certificate_validation", "token_domain", "token_domain_certificate_validation"]);
    expect(dev.json.resource.aws_route53_record).toBeUndefined();
    expect(Object.keys(dev.json.output.custom_domain_dns_records!.value as object)).toEqual(["api.dev.example.com"]);
    expect(prod.json.output.custom_domain_dns_records).toBeUndefined();
  });
});

describe("scope identifiers", () => {
  it("are keyed to the custom domain: no REST API id in any scope", () => {
    expect(resourceOf(prod, "aws_cognito_resource_server", "payments_domain_resource_server").identifier).toBe("https://api.example.com/payments");
    expect(resourceOf(dev, "aws_cognito_resource_server", "content_domain_resource_server").identifier).toBe("https://api.dev.example.com/content");
    const client = resourceOf(prod, "aws_cognito_user_pool_client", "client_acme-bank");
    expect(client.allowed_oauth_scopes).toEqual(["${aws_cognito_resource_server.payments_domain_resource_server.identifier}/read", "${aws_cognito_resource_server.payments_domain_resource_server.identifier}/write"]);
    expect(JSON.stringify(resourcesOf(prod, "aws_cognito_resource_server"))).not.toContain("rest_api");
  });
  it("and the outputs name the custom domain URLs and token endpoint", () => {
    expect(prod.json.output.invoke_urls!.value).toEqual({ content: "https://api.example.com/content", payments: "https://api.example.com/payments" });
    expect(prod.json.output.token_endpoint!.value).toBe("https://auth.example.com/oauth2/token");
    expect(dev.json.output.token_endpoint!.value).toBe("https://edge-m2m-dev.auth.eu-west-1.amazoncognito.com/oauth2/token");
  });
});

describe("the token endpoint's custom domain", () => {
  it("takes its certificate from us-east-1 through a second provider", () => {
    expect(prod.json.provider.aws).toEqual([expect.objectContaining({ region: "eu-west-1" }), expect.objectContaining({ alias: "us_east_1", region: "us-east-1" })]);
    expect(resourceOf(prod, "aws_acm_certificate", "token_domain_certificate").provider).toBe("aws.us_east_1");
    expect(resourceOf(prod, "aws_acm_certificate_validation", "token_domain_certificate").provider).toBe("aws.us_east_1");
    expect(resourceOf(prod, "aws_cognito_user_pool_domain", "token_domain")).toMatchObject({ domain: "auth.example.com", certificate_arn: "${aws_acm_certificate_validation.token_domain_certificate.certificate_arn}" });
    // The prefix domain stays: clients move to the custom domain at their pace.
    expect(resourceOf(prod, "aws_cognito_user_pool_domain", "user_pool_domain").domain).toBe("edge-m2m-prod");
    expect(dev.json.provider.aws).toHaveLength(1);
  });
});

describe("the truststore", () => {
  it("is the config's CA files, re-encoded, in a private, versioned, encrypted, TLS-only bucket", () => {
    const object = resourceOf(prod, "aws_s3_object", "truststore");
    expect(new X509Certificate(object.content as string).ca).toBe(true);
    expect(object.depends_on).toEqual(["aws_s3_bucket_versioning.truststore", "aws_s3_bucket_server_side_encryption_configuration.truststore"]);
    expect(resourceOf(prod, "aws_s3_bucket_versioning", "truststore").versioning_configuration).toEqual({ status: "Enabled" });
    expect(resourceOf(prod, "aws_s3_bucket_public_access_block", "truststore")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(resourceOf(prod, "aws_s3_bucket_policy", "truststore").policy).toContain('"aws:SecureTransport" = "false"');
  });
});

describe("HTTP backends and certificate bindings", () => {
  it("give the stage with an HTTP backend a client certificate", () => {
    expect(resourceOf(prod, "aws_api_gateway_stage", "payments_stage").client_certificate_id).toBe("${aws_api_gateway_client_certificate.payments_backend_client_certificate.id}");
    expect(resourceOf(prod, "aws_api_gateway_stage", "content_stage").client_certificate_id).toBeUndefined();
    expect(Object.keys(prod.json.output.backend_client_certificate_expirations!.value as object)).toEqual(["payments"]);
  });
  it("put bindings in the access file, turn result caching off and show the deny reason", () => {
    const access = prod.json.data!.archive_file!.payments_scope_checker_access!.source_content as string;
    expect(access).toContain('"requireBoundCertificate" = true');
    expect(access).toContain('"bindings" = [{"clientId" = aws_cognito_user_pool_client.client_acme-bank.id, "subject" = "CN=acme-bank.partner.example,O=Acme Bank", "sha256" = "5D:4A:91');
    const document = documentOf(prod, "payments");
    expect(document.components.securitySchemes["scope-checker"]["x-amazon-apigateway-authorizer"].authorizerResultTtlInSeconds).toBe(0);
    expect(document["x-amazon-apigateway-gateway-responses"].ACCESS_DENIED.responseTemplates["application/json"]).toContain("$context.authorizer.denyReason");
  });
});
