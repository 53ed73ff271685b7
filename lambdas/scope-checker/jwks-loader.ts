/**
 * Loads the user pool's JWKS once, at cold start. node:http(s) rather than global fetch:
 * undici's first fetch costs tens of milliseconds of cold start. Bounded in time and size,
 * no redirects, and the document is checked with aws-jwt-verify's JWKS validation.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { assertIsJwks, type Jwks } from "aws-jwt-verify/jwk";
import { safeJsonParse } from "aws-jwt-verify/safe-json-parse";
import { JwksLoadError } from "./errors";

/** Cold start waits at most this long for the keys (Lambda authorizer timeouts are seconds). */
export const JWKS_TIMEOUT_MS = 3_000;
/** A Cognito JWKS is under 1 KB; anything near this is not one. */
export const MAX_JWKS_BYTES = 64 * 1024;

function get(uri: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(uri);
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    const fail = (problem: string) => reject(new JwksLoadError(uri, problem));
    const req = request(url, { method: "GET", headers: { accept: "application/json" }, timeout: timeoutMs }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        fail(`HTTP status ${res.statusCode}`);
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_JWKS_BYTES) {
          req.destroy();
          fail(`response larger than ${MAX_JWKS_BYTES} bytes`);
          return;
        }
        chunks.push(chunk);
      });
      res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      res.on("error", (err) => fail(err.message));
    });
    const deadline = setTimeout(() => {
      req.destroy();
      fail(`no response within ${timeoutMs} ms`);
    }, timeoutMs);
    deadline.unref();
    req.on("close", () => clearTimeout(deadline));
    req.on("timeout", () => req.destroy(new Error(`socket idle for ${timeoutMs} ms`)));
    req.on("error", (err) => fail(err.message));
    req.end();
  });
}

/** Fetches and validates the JWKS; throws JwksLoadError. */
export async function loadJwks(uri: string, timeoutMs: number = JWKS_TIMEOUT_MS): Promise<Jwks> {
  const text = await get(uri, timeoutMs);
  let jwks: unknown;
  try {
    jwks = safeJsonParse(text);
    assertIsJwks(jwks as Parameters<typeof assertIsJwks>[0]);
  } catch {
    throw new JwksLoadError(uri, "response is not a JWKS");
  }
  const keys = (jwks as Jwks).keys;
  if (keys.length === 0) throw new JwksLoadError(uri, "JWKS has no keys");
  return jwks as Jwks;
}
