/**
 * Lambda entry point (bundled to index.mjs, handler `index.handler`).
 *
 * At cold start it reads the environment (see lambda-environment.ts) and starts loading the
 * pool's JWKS; every request awaits that one load, and then verification is local. Fail
 * closed: with a bad environment or no JWKS, every request is 401. A failed JWKS load is
 * retried by a later request, at most once per RETRY_AFTER_MS, so a network blip at cold start
 * does not lock a warm Lambda out for its lifetime. After Cognito rotates its keys, a token
 * naming a key id the loaded JWKS lacks re-fetches it, at most once per
 * JWKS_REFRESH_INTERVAL_MS per container (jwks-refresh.ts); until then such tokens are 401.
 */
import type { AuthorizerHandler, AuthorizerResult, RequestAuthorizerEvent } from "./authorizer-types";
import { logDecision, logJwksRefresh, logSetupFailure, routeLabel, type UnauthorizedReason } from "./decision-log";
import { ScopeCheckerConfigError, unauthorized } from "./errors";
import { loadJwks } from "./jwks-loader";
import { JwksRefresher } from "./jwks-refresh";
import { readLambdaEnvironment, type LambdaSettings } from "./lambda-environment";
import { createHandler } from "./scope-checker";

export const RETRY_AFTER_MS = 10_000;
/**
 * Least time between two JWKS fetches for unknown key ids, per container. Tokens with a made-up
 * kid cost the pool's JWKS endpoint at most one request per this interval per warm Lambda; a
 * real rotation is picked up by a warm Lambda within it (new containers load the keys at once).
 */
export const JWKS_REFRESH_INTERVAL_MS = 5 * 60_000;

class SetupFailure extends Error {
  constructor(
    readonly reason: UnauthorizedReason,
    readonly retryable: boolean,
  ) {
    super(`scope checker not ready: ${reason}`);
    this.name = "SetupFailure";
  }
}

function readSettings(): LambdaSettings | SetupFailure {
  try {
    return readLambdaEnvironment(process.env);
  } catch (err) {
    logSetupFailure("config-invalid", err instanceof ScopeCheckerConfigError ? err.message : "unreadable environment");
    return new SetupFailure("config-invalid", false);
  }
}

const settings = readSettings();
let failure: { readonly error: SetupFailure; readonly at: number } | undefined;
let ready = start();

function start(): Promise<AuthorizerHandler> {
  let attempt: Promise<AuthorizerHandler>;
  if (settings instanceof SetupFailure) {
    failure = { error: settings, at: Date.now() };
    attempt = Promise.reject(settings);
  } else {
    failure = undefined;
    const { options, jwksUri } = settings;
    const loadStartedAt = Date.now();
    attempt = loadJwks(jwksUri)
      .then((jwks) => createHandler({ ...options, jwks, refreshJwks: refresherFor(jwksUri, loadStartedAt) }))
      .catch((err: unknown) => {
        logSetupFailure("jwks-unavailable", err instanceof Error ? err.message : "JWKS load failed");
        const error = new SetupFailure("jwks-unavailable", true);
        failure = { error, at: Date.now() };
        throw error;
      });
  }
  // Requests await `attempt`; this only keeps Node from reporting a rejection nobody awaited yet.
  attempt.catch(() => undefined);
  return attempt;
}

function refresherFor(jwksUri: string, loadStartedAt: number): () => ReturnType<JwksRefresher["refresh"]> {
  const refresher = new JwksRefresher({
    intervalMs: JWKS_REFRESH_INTERVAL_MS,
    lastFetchAt: loadStartedAt,
    fetchJwks: () =>
      loadJwks(jwksUri).then(
        (jwks) => {
          logJwksRefresh({ outcome: "loaded", keys: jwks.keys.length });
          return jwks;
        },
        (err: unknown) => {
          logJwksRefresh({ outcome: "failed", detail: err instanceof Error ? err.message : "JWKS load failed" });
          throw err;
        },
      ),
  });
  return () => refresher.refresh();
}

function current(): Promise<AuthorizerHandler> {
  if (failure?.error.retryable && Date.now() - failure.at >= RETRY_AFTER_MS) ready = start();
  return ready;
}

export async function handler(event: RequestAuthorizerEvent): Promise<AuthorizerResult> {
  let scopeChecker: AuthorizerHandler;
  try {
    scopeChecker = await current();
  } catch (err) {
    const reason = err instanceof SetupFailure ? err.reason : "jwks-unavailable";
    logDecision(routeLabel(event?.httpMethod, event?.resource), { decision: "unauthorized", reason });
    throw unauthorized();
  }
  return scopeChecker(event);
}
