/**
 * The offline stand-in for one environment's Cognito user pool: its id and issuer, a fresh
 * signing key, and one app client (fresh id and secret) per client of the environment, with the
 * environment's scopes as full identifiers, the way the deployed resource server names them.
 */
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { SECONDS_PER_UNIT } from "../model/aws-limits";
import { issuerUrl, scopeIdentifier } from "../model/aws-urls";
import type { Client } from "../model/model-types";
import { newClientId, newClientSecret, newUserPoolId } from "./cognito-ids";
import { generateSigningKey, type SigningKey } from "./signing-key";

export interface LocalAppClient {
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Full scope identifiers the client may request. */
  readonly scopes: readonly string[];
  readonly disabled: boolean;
  readonly accessTokenValiditySeconds: number;
  /** The model's client (scope names), for access decisions. */
  readonly model: Client;
}

export interface LocalUserPool {
  readonly userPoolId: string;
  readonly region: string;
  readonly issuer: string;
  readonly resourceServerIdentifier: string;
  readonly signingKey: SigningKey;
  readonly clients: readonly LocalAppClient[];
  clientById(clientId: string): LocalAppClient | undefined;
  /** Constant-time check of a presented secret; false for unknown clients too. */
  secretMatches(client: LocalAppClient, presentedSecret: string): boolean;
  /** Signs an access token with Cognito's client-credentials claim set. */
  issueAccessToken(client: LocalAppClient, scopes: readonly string[], lifetimeSeconds: number, nowSeconds: number): string;
}

export interface LocalUserPoolOptions {
  readonly region: string;
  /** The resource server identifier: the local API URL, mirroring "identifier = invoke URL". */
  readonly resourceServerIdentifier: string;
  readonly clients: readonly Client[];
}

const digest = (value: string) => createHash("sha256").update(value).digest();

export function createLocalUserPool(options: LocalUserPoolOptions): LocalUserPool {
  const userPoolId = newUserPoolId(options.region);
  const issuer = issuerUrl(options.region, userPoolId);
  const signingKey = generateSigningKey();
  const clients: LocalAppClient[] = options.clients.map((c) => ({
    name: c.name,
    clientId: newClientId(),
    clientSecret: newClientSecret(),
    scopes: c.scopes.map((s) => scopeIdentifier(options.resourceServerIdentifier, s)),
    disabled: c.disabled,
    accessTokenValiditySeconds: c.accessTokenValidity.value * SECONDS_PER_UNIT[c.accessTokenValidity.unit],
    model: c,
  }));
  const byId = new Map(clients.map((c) => [c.clientId, c]));

  return {
    userPoolId,
    region: options.region,
    issuer,
    resourceServerIdentifier: options.resourceServerIdentifier,
    signingKey,
    clients,
    clientById: (clientId) => byId.get(clientId),
    // Comparing digests keeps the comparison constant-time whatever the presented length.
    secretMatches: (client, presented) => timingSafeEqual(digest(client.clientSecret), digest(presented)),
    issueAccessToken: (client, scopes, lifetimeSeconds, nowSeconds) =>
      signingKey.signJwt({
        sub: client.clientId,
        token_use: "access",
        scope: scopes.join(" "),
        auth_time: nowSeconds,
        iss: issuer,
        exp: nowSeconds + lifetimeSeconds,
        iat: nowSeconds,
        version: 2,
        jti: randomUUID(),
        client_id: client.clientId,
      }),
  };
}
