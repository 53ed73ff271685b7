/**
 * Resources kept out of the emulator apply, because moto 5.2.1 lacks (or mis-models) the API
 * the provider calls for them. The validate/plan tier still plans them; only the apply tier
 * leaves them out, and it prints one line per excluded resource so the gap is never silent.
 * Each reason was observed on this machine (the error moto returned), not assumed.
 */
export interface EmulatorExclusion {
  readonly type: string;
  readonly reason: string;
  /** Only resources of the type this holds for (every one without it). */
  readonly applies?: (body: Readonly<Record<string, unknown>>) => boolean;
}

// moto 5.2.1 serves every resource type the stacks use (WAFv2 association, the account's
// CloudWatch role, metric filters, SNS, KMS included), with the adaptations in
// verify/emulator-adaptations. (aws_api_gateway_rest_api_policy was excluded, for moto's raw
// policy read, until the policy moved into the API's OpenAPI document.) What is left out:
export const EMULATOR_EXCLUSIONS: readonly EmulatorExclusion[] = [
  {
    type: "aws_lambda_permission",
    reason:
      "a lambda-arn backend's permission names a function that exists outside the stack (by its ARN); the emulator holds only the stack's own functions, so AddPermission would fail with ResourceNotFoundException",
    applies: (body) => typeof body.function_name === "string" && body.function_name.startsWith("arn:"),
  },
  {
    type: "aws_api_gateway_client_certificate",
    reason: "moto 5.2.1 has no GenerateClientCertificate (the provider's call gets a 404 HTML page); the stage's reference and the outputs are detached by verify/emulator-adaptations",
  },
  {
    type: "aws_route53_record",
    reason: "the record goes into the operator's Route 53 zone, named by id in the config and outside the stack; the emulator has no such zone (moto: couldn't find resource)",
    applies: (body) => typeof body.zone_id === "string" && !body.zone_id.includes("${"),
  },
  {
    type: "aws_s3_bucket_policy",
    reason: "moto 5.2.1 enforces bucket policies and the emulator is reached over plain http: the truststore bucket's TLS-only Deny (aws:SecureTransport false) refuses the upload, as it should (403); on AWS the provider uses https",
    applies: (body) => typeof body.policy === "string" && body.policy.includes("aws:SecureTransport"),
  },
];

export function exclusionFor(type: string, body?: Readonly<Record<string, unknown>>): EmulatorExclusion | undefined {
  return EMULATOR_EXCLUSIONS.find((e) => e.type === type && (e.applies === undefined || body === undefined || e.applies(body)));
}

/**
 * Deletes moto 5.2.1 has not implemented, observed on this machine: a destroy apply fails on
 * them (`NotImplementedError: The delete_resource_server action has not been implemented`, a
 * 500). The destroy plan still plans their deletion (and is asserted as planned); before
 * applying it, the emulator tier forgets them from state (`terraform state rm`) and plans
 * again. On AWS the provider calls DeleteResourceServer; deleting the user pool would take the
 * resource server with it anyway.
 */
export const EMULATOR_UNDELETABLE_TYPES: readonly { readonly type: string; readonly reason: string }[] = [
  { type: "aws_cognito_resource_server", reason: "moto 5.2.1 has not implemented DeleteResourceServer (500 NotImplementedError)" },
];
