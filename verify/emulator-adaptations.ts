/**
 * Changes the emulator copy makes so moto 5.2.1 can apply what AWS accepts, each with the moto
 * defect it works around. Unlike exclusions (verify/emulator-exclusions) the resource is applied;
 * the change is printed per resource, so nobody mistakes the emulator's document for the stack's.
 */

export interface EmulatorAdaptation {
  /** A resource type, or `output` for the stack's outputs. */
  readonly type: string;
  readonly reason: string;
  /** Rewrites one resource body in place; returns false when it had nothing to change. */
  adapt(body: Record<string, unknown>): boolean;
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"]);

/**
 * moto's PutRestApi calls its put_integration with `uri` and `httpMethod` as required arguments,
 * so a MOCK integration (which has neither) fails with a 500 (TypeError in
 * moto/apigateway/models.py put_rest_api). The copy adds `uri: ""` and `httpMethod: "POST"` to
 * mock integrations only; API Gateway ignores both for MOCK.
 */
function addMockIntegrationTarget(body: Record<string, unknown>): boolean {
  if (typeof body.body !== "string") throw new Error("the put's body is not a literal document; the emulator adaptation cannot read it");
  const document = JSON.parse(body.body) as { paths?: Record<string, Record<string, any>> };
  let changed = false;
  for (const item of Object.values(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      const integration = HTTP_METHODS.has(method.toLowerCase()) ? operation?.["x-amazon-apigateway-integration"] : undefined;
      if (!integration || String(integration.type).toLowerCase() !== "mock") continue;
      if (integration.uri === undefined) integration.uri = "";
      if (integration.httpMethod === undefined) integration.httpMethod = "POST";
      changed = true;
    }
  }
  if (changed) body.body = JSON.stringify(document);
  return changed;
}

/**
 * moto 5.2.1 does not model Lambda's LoggingConfig (the word appears nowhere in moto/awslambda):
 * it drops it on CreateFunction and GetFunction returns none, so every re-plan would show
 * `logging_config` being added. AWS returns LoggingConfig from GetFunction and the provider reads
 * it back (log_group is optional+computed), so on AWS the re-plan is expected to be empty.
 */
const dropLoggingConfig = dropAttribute("logging_config");

/**
 * moto 5.2.1 does not model a user pool's feature plan (UserPoolTier appears nowhere in
 * moto/cognitoidp): DescribeUserPool returns none, so every re-plan would show `user_pool_tier`
 * being set, and the update then fails in moto's TagResource. AWS returns UserPoolTier from
 * DescribeUserPool and the provider reads it back (optional+computed), so on AWS the re-plan is
 * expected to be empty; the plan tier still plans the attribute.
 */
const dropUserPoolTier = dropAttribute("user_pool_tier");

/** An adaptation that leaves one attribute out of the emulator copy (true when it was there). */
function dropAttribute(name: string): (body: Record<string, unknown>) => boolean {
  return (body) => {
    if (body[name] === undefined) return false;
    delete body[name];
    return true;
  };
}

/** A reference to a resource that verify/emulator-exclusions leaves out of every emulator copy. */
const EXCLUDED_CLIENT_CERTIFICATE = /\baws_api_gateway_client_certificate\./;

/**
 * A Route 53 zone the config names by id exists outside the stack (the operator's zone), and the
 * emulator has no such zone: records in it are excluded (verify/emulator-exclusions), so the
 * certificate validation waits for moto to issue the certificate (MOTO_ACM_VALIDATION_WAIT=0)
 * instead of naming the records' FQDNs.
 */
function dropValidationRecords(body: Record<string, unknown>): boolean {
  if (!Array.isArray(body.validation_record_fqdns) || !body.validation_record_fqdns.every((f) => typeof f === "string" && f.includes("aws_route53_record."))) return false;
  delete body.validation_record_fqdns;
  return true;
}

export const EMULATOR_ADAPTATIONS: readonly EmulatorAdaptation[] = [
  {
    type: "aws_acm_certificate_validation",
    reason: "validation_record_fqdns left out: the records live in the operator's Route 53 zone, which the emulator lacks (the records are excluded); moto issues the certificate by itself",
    adapt: dropValidationRecords,
  },
  {
    type: "aws_api_gateway_domain_name",
    reason: "mutual_tls_authentication left out: moto 5.2.1 CreateDomainName ignores mutualTlsAuthentication (reads back none); the plan tier plans it, the truststore object is applied",
    adapt: dropAttribute("mutual_tls_authentication"),
  },
  {
    type: "aws_cognito_user_pool_domain",
    reason: "certificate_arn left out: moto 5.2.1 keeps a custom domain's CustomDomainConfig but DescribeUserPoolDomain returns none (reads back \"\", so every re-plan would replace the domain); the plan tier plans it",
    adapt: dropAttribute("certificate_arn"),
  },
  {
    type: "aws_api_gateway_stage",
    reason: "client_certificate_id left out: moto 5.2.1 has no GenerateClientCertificate (the client certificate is excluded); the plan tier plans it",
    adapt: (body) => typeof body.client_certificate_id === "string" && EXCLUDED_CLIENT_CERTIFICATE.test(body.client_certificate_id) && delete body.client_certificate_id,
  },
  {
    type: "output",
    reason: "value null: it reads the backend client certificate, which moto 5.2.1 cannot generate (excluded); the plan tier plans the output",
    adapt: (body) => EXCLUDED_CLIENT_CERTIFICATE.test(JSON.stringify(body.value ?? null)) && ((body.value = null), true),
  },
  {
    type: "aws_cognito_user_pool",
    reason: "user_pool_tier left out: moto 5.2.1 does not model the feature plan (reads back none); the plan tier still plans it",
    adapt: dropUserPoolTier,
  },
  {
    type: "aws_lambda_function",
    reason: "logging_config left out: moto 5.2.1 does not model Lambda LoggingConfig (drops it, reads back none); the plan tier still plans it",
    adapt: dropLoggingConfig,
  },
  {
    type: "aws_api_gateway_rest_api_put",
    reason: 'mock integrations get uri "" and httpMethod POST (ignored by API Gateway for MOCK): moto 5.2.1 PutRestApi requires both and answers 500 without them',
    adapt: addMockIntegrationTarget,
  },
];
