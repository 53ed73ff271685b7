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

export const EMULATOR_EXCLUSIONS: readonly EmulatorExclusion[] = [
  {
    type: "aws_api_gateway_rest_api_policy",
    reason:
      "moto 5.2.1 stores the policy as sent and returns it raw (moto/apigateway/models.py RestAPI.policy); AWS returns it JSON-escaped and the provider's read un-escapes it, so on moto the read fails: `invalid character 'S' after top-level value`",
  },
];

export function exclusionFor(type: string): EmulatorExclusion | undefined {
  return EMULATOR_EXCLUSIONS.find((e) => e.type === type);
}
