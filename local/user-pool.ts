/**
 * The offline stand-in for one environment's Cognito user pool: its id and issuer, a fresh
 * signing key, and one app client (fresh id and secret) per client of the environment, with its
 * granted scopes as full identifiers, each under the resource server of the API that defines it
 * (one pool, one resource server per API, as deployed).
 */
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { SECONDS_PER_UNIT } from "../model/aws-limits";
import { issuerUrl, scopeIdentifier } from "../model/aws-urls";
import type { Client } from "../model/model-types";
import { newClientId, newClientSecret, newUserPoolId } from "./cognito-ids";
import { generateSigningKey, type SigningKey } from "./signing-key";

/** One of an app client's secrets, as ListUserPoolClientSecrets describes it (plus the value). */
export interface LocalClientSecret {
  /** `<client-id>--<epoch-create-time>`, Cognito's form. */
  readonly clientSecretId: string;
  readonly value: string;
  /** Seconds since the epoch (fractional). */
  readonly createdAt: number;
}

/** Cognito keeps at most two active secrets per app client: the basis of rotation without downtime. */
const MAX_SECRETS_PER_CLIENT = 2;

/** Cognito's answers to a third secret and to deleting the last one (AWS JSON error types). */
export class ClientSecretsError extends Error {
  constructor(
    readonly type: "LimitExceededException" | "InvalidParameterException" | "ResourceNotFoundException" | "ScopeDoesNotExistException",
    message: string,
  ) {
    super(message);
    this.name = "ClientSecretsError";
  }
}

export interface LocalAppClient {
  readonly name: string;
  readonly clientId: string;
  /** The secret the app client was created with (what the credentials file first holds). */
  readonly clientSecret: string;
  /** Full scope identifiers the client may request, across the pool's resource servers (UpdateUserPoolClient changes them). */
  scopes: readonly string[];
  readonly disabled: boolean;
  readonly accessTokenValiditySeconds: number;
  /** The model's client (scope names), for access decisions. */
  readonly model: Client;
}

export interface LocalUserPool {
  readonly userPoolId: string;
  readonly region: string;
  readonly issuer: string;
  readonly signingKey: SigningKey;
  readonly clients: readonly LocalAppClient[];
  clientById(clientId: string): LocalAppClient | undefined;
  /** Constant-time check of a presented secret against each active secret of the client. */
  secretMatches(client: LocalAppClient, presentedSecret: string): boolean;
  /** The client's active secrets, oldest first. */
  clientSecrets(client: LocalAppClient): readonly LocalClientSecret[];
  /** AddUserPoolClientSecret: a generated (or the given) value; LimitExceededException at the third. */
  addClientSecret(client: LocalAppClient, nowSeconds: number, value?: string): LocalClientSecret;
  /** DeleteUserPoolClientSecret: InvalidParameterException for the last one, ResourceNotFoundException for an unknown id. */
  deleteClientSecret(client: LocalAppClient, clientSecretId: string): void;
  /** UpdateUserPoolClient's AllowedOAuthScopes (what a config change applies): ScopeDoesNotExistException for a scope of no resource server. */
  setAllowedScopes(client: LocalAppClient, scopes: readonly string[]): void;
  /** Signs an access token with Cognito's client-credentials claim set. */
  issueAccessToken(client: LocalAppClient, scopes: readonly string[], lifetimeSeconds: number, nowSeconds: number): string;
}

export interface LocalUserPoolOptions {
  readonly region: string;
  /** Each API's resource server identifier, by API name: its local stage URL, mirroring "identifier = invoke URL". */
  readonly resourceServerIdentifiers: ReadonlyMap<string, string>;
  readonly clients: readonly Client[];
  /**
   * The authorization server's own URL (`http://127.0.0.1:<port>`): the issuer is then
   * `<url>/<pool id>`, where the offline environment serves the discovery document and keys as
   * Cognito serves them at its issuer. Without it, Cognito's issuer for the pool.
   */
  readonly authorizationServerUrl?: string;
  /** Given app client ids and secrets by client name (e.g. a deployed stack's); the others get fresh ones. */
  readonly clientCredentials?: ReadonlyMap<string, { readonly clientId: string; readonly clientSecret: string }>;
}

const digest = (value: string) => createHash("sha256").update(value).digest();

export function createLocalUserPool(options: LocalUserPoolOptions): LocalUserPool {
  const userPoolId = newUserPoolId(options.region);
  const issuer = options.authorizationServerUrl === undefined ? issuerUrl(options.region, userPoolId) : `${options.authorizationServerUrl}/${userPoolId}`;
  const signingKey = generateSigningKey();
  const identifierOf = (api: string): string => {
    const identifier = options.resourceServerIdentifiers.get(api);
    if (identifier === undefined) throw new Error(`no resource server for API ${api} in the offline user pool`);
    return identifier;
  };
  const clients: LocalAppClient[] = options.clients.map((c) => ({
    name: c.name,
    clientId: options.clientCredentials?.get(c.name)?.clientId ?? newClientId(),
    clientSecret: options.clientCredentials?.get(c.name)?.clientSecret ?? newClientSecret(),
    scopes: c.scopes.map((g) => scopeIdentifier(identifierOf(g.api), g.scope)),
    disabled: c.disabled,
    accessTokenValiditySeconds: c.accessTokenValidity.value * SECONDS_PER_UNIT[c.accessTokenValidity.unit],
    model: c,
  }));
  const byId = new Map(clients.map((c) => [c.clientId, c]));
  const createdAt = Math.floor(Date.now() / 1000);
  const secrets = new Map<string, LocalClientSecret[]>(
    clients.map((c) => [c.clientId, [{ clientSecretId: `${c.clientId}--${createdAt}`, value: c.clientSecret, createdAt }]]),
  );
  const secretsOf = (client: LocalAppClient) => secrets.get(client.clientId) ?? [];

  return {
    userPoolId,
    region: options.region,
    issuer,
    signingKey,
    clients,
    clientById: (clientId) => byId.get(clientId),
    // Comparing digests keeps the comparison constant-time whatever the presented length.
    // Every active secret is compared (no early exit), so timing does not tell which one matched.
    secretMatches: (client, presented) =>
      secretsOf(client).reduce((matched, s) => timingSafeEqual(digest(s.value), digest(presented)) || matched, false),
    clientSecrets: (client) => [...secretsOf(client)],
    addClientSecret: (client, nowSeconds, value) => {
      const list = secretsOf(client);
      if (list.length >= MAX_SECRETS_PER_CLIENT) {
        throw new ClientSecretsError("LimitExceededException", `app client ${client.clientId} already has ${MAX_SECRETS_PER_CLIENT} secrets: delete one first`);
      }
      // Ids embed the creation second: a second secret within the same second gets the next one.
      const ids = new Set(list.map((s) => s.clientSecretId));
      let second = Math.floor(nowSeconds);
      while (ids.has(`${client.clientId}--${second}`)) second++;
      const added: LocalClientSecret = { clientSecretId: `${client.clientId}--${second}`, value: value ?? newClientSecret(), createdAt: nowSeconds };
      secrets.set(client.clientId, [...list, added]);
      return added;
    },
    deleteClientSecret: (client, clientSecretId) => {
      const list = secretsOf(client);
      if (!list.some((s) => s.clientSecretId === clientSecretId)) throw new ClientSecretsError("ResourceNotFoundException", `client secret ${clientSecretId} not found`);
      if (list.length === 1) throw new ClientSecretsError("InvalidParameterException", "cannot delete the last remaining secret of an app client");
      secrets.set(client.clientId, list.filter((s) => s.clientSecretId !== clientSecretId));
    },
    setAllowedScopes: (client, scopes) => {
      const servers = [...options.resourceServerIdentifiers.values()];
      const unknown = scopes.find((s) => !servers.some((identifier) => s.startsWith(`${identifier}/`)));
      if (unknown !== undefined) throw new ClientSecretsError("ScopeDoesNotExistException", `scope ${unknown} is on no resource server of the pool`);
      client.scopes = [...scopes];
    },
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
