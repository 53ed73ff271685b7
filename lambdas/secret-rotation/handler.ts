/**
 * Lambda entry point of the client-secret rotation function (one per environment), invoked by
 * Secrets Manager with `{Step, SecretId, ClientRequestToken}`. Environment: `USER_POOL_ID` (the
 * only pool whose clients it rotates; its role allows no other), `TOKEN_ENDPOINT` (the only URL a
 * pending secret is ever sent to, whatever the secret's value says) and `GRACE_PERIOD_SECONDS`. Logs
 * one JSON line per step outcome with ids only: never a secret value, a token or the event.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { RotationConfigError } from "./errors";
import { runRotationStep, type RotationContext, type RotationEvent, type RotationStep } from "./rotation-steps";

const STEPS: readonly RotationStep[] = ["createSecret", "setSecret", "testSecret", "finishSecret"];

export function parseRotationEvent(event: unknown): RotationEvent {
  const e = event as Partial<Record<keyof RotationEvent, unknown>> | null;
  if (typeof e?.Step !== "string" || !(STEPS as readonly string[]).includes(e.Step)) throw new RotationConfigError("event.Step", `must be one of ${STEPS.join(", ")}`);
  if (typeof e.SecretId !== "string" || e.SecretId === "") throw new RotationConfigError("event.SecretId", "must be a secret ARN");
  if (typeof e.ClientRequestToken !== "string" || e.ClientRequestToken === "") throw new RotationConfigError("event.ClientRequestToken", "must be the rotation's version id");
  return { Step: e.Step as RotationStep, SecretId: e.SecretId, ClientRequestToken: e.ClientRequestToken };
}

export function contextFromEnvironment(env: NodeJS.ProcessEnv, overrides: Partial<RotationContext> = {}): RotationContext {
  const userPoolId = env.USER_POOL_ID;
  if (!userPoolId) throw new RotationConfigError("USER_POOL_ID", "must be set");
  const grace = Number(env.GRACE_PERIOD_SECONDS ?? "86400");
  if (!Number.isInteger(grace) || grace < 0) throw new RotationConfigError("GRACE_PERIOD_SECONDS", "must be a whole number of seconds, 0 or more");
  const tokenEndpoint = env.TOKEN_ENDPOINT;
  if (!tokenEndpoint) throw new RotationConfigError("TOKEN_ENDPOINT", "must be set");
  return {
    cognito: overrides.cognito ?? new CognitoIdentityProviderClient({}),
    secretsManager: overrides.secretsManager ?? new SecretsManagerClient({}),
    userPoolId,
    tokenEndpoint,
    graceSeconds: grace,
    fetch: (input, init) => fetch(input, init),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: Date.now,
    log: (entry) => console.log(JSON.stringify(entry)),
    ...overrides,
  };
}

/** A handler over a given context (tests and the offline environment point its clients at 127.0.0.1). */
export function createRotationHandler(context: RotationContext): (event: unknown) => Promise<void> {
  return async (event) => {
    const parsed = parseRotationEvent(event);
    try {
      await runRotationStep(context, parsed);
    } catch (error) {
      // The error's name and first line only: SDK messages name resources, never secret values.
      context.log({ event: "step-failed", step: parsed.Step, secret: parsed.SecretId, error: (error as Error).name, message: (error as Error).message.split("\n")[0] });
      throw error;
    }
  };
}

let cached: ((event: unknown) => Promise<void>) | undefined;

export async function handler(event: unknown): Promise<void> {
  cached ??= createRotationHandler(contextFromEnvironment(process.env));
  return cached(event);
}
