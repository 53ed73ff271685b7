/**
 * Resources kept out of the emulator apply, because moto 5.2.1 lacks (or mis-models) the API
 * the provider calls for them. The validate/plan tier still plans them; only the apply tier
 * leaves them out, and it prints one line per excluded resource so the gap is never silent.
 * Each reason was observed on this machine (the error moto returned), not assumed.
 */
export interface EmulatorExclusion {
  readonly type: string;
  readonly reason: string;
}

// None today: moto 5.2.1 serves every resource type the stacks use (WAFv2 association, the
// account's CloudWatch role, metric filters, SNS, KMS included), with the adaptations in
// verify/emulator-adaptations. (aws_api_gateway_rest_api_policy was excluded, for moto's raw
// policy read, until the policy moved into the API's OpenAPI document.)
export const EMULATOR_EXCLUSIONS: readonly EmulatorExclusion[] = [];

export function exclusionFor(type: string): EmulatorExclusion | undefined {
  return EMULATOR_EXCLUSIONS.find((e) => e.type === type);
}
