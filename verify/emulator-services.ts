/**
 * Which AWS service endpoint each resource type talks to, for pointing the provider's
 * `endpoints` at the emulator. A type with no entry is refused: a call that would leave for
 * the real AWS endpoint must never happen by omission.
 */
const SERVICE_BY_PREFIX: readonly (readonly [string, string])[] = [
  ["aws_acm_", "acm"],
  ["aws_api_gateway_", "apigateway"],
  ["aws_route53_", "route53"],
  ["aws_cognito_", "cognitoidp"],
  ["aws_cloudwatch_log_", "logs"],
  ["aws_cloudwatch_metric_alarm", "cloudwatch"],
  ["aws_iam_", "iam"],
  ["aws_kms_", "kms"],
  ["aws_lambda_", "lambda"],
  ["aws_secretsmanager_", "secretsmanager"],
  ["aws_sns_", "sns"],
  ["aws_wafv2_", "wafv2"],
  ["aws_s3_", "s3"],
  ["aws_caller_identity", "sts"],
];

/** Types that never call AWS (computed by the provider from its own configuration). */
const OFFLINE_TYPES = new Set(["aws_partition", "aws_region", "aws_iam_policy_document"]);

export function serviceOf(type: string): string | undefined | "offline" {
  if (OFFLINE_TYPES.has(type)) return "offline";
  return SERVICE_BY_PREFIX.find(([prefix]) => type.startsWith(prefix))?.[1];
}

/**
 * Every service the table knows. The emulator copy points all of them at moto, not only those
 * the configuration uses: a transition's state can hold resources of a service the new
 * configuration no longer has (WAF turned off), and their deletion must not go to AWS.
 */
export const ALL_SERVICES: readonly string[] = [...new Set(SERVICE_BY_PREFIX.map(([, service]) => service))].sort();
