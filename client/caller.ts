/**
 * Who calls and where, for `m2m token` and `m2m call`, from exactly one source:
 * - `--local`: the running offline environment's `.m2m/local.json` (`--client NAME`);
 * - `--outputs FILE --env NAME`: a deployed stack's outputs, the client's secret from Secrets Manager (`--client NAME`);
 * - `--secret-id ID`: one client's secret in Secrets Manager;
 * - otherwise flags or environment variables: `--client-id`/`M2M_CLIENT_ID`,
 *   `--client-secret`/`M2M_CLIENT_SECRET`, `--token-endpoint`/`M2M_TOKEN_ENDPOINT`, `--api-url`/`M2M_API_URL`.
 */
import { readCredentialsFile, type LocalClientCredentials } from "../local/credentials-file";
import { CommandFailure } from "../model/command-voice";
import { awsPlacesChecked, awsRegion } from "./aws-environment";
import { sharedSecretReader } from "./client-secret-store";
import { readStackOutputs } from "./stack-outputs";
import { UsageError } from "./usage-error";

export interface CallerFlags {
  readonly local: boolean;
  readonly localFile: string;
  readonly outputs?: string;
  readonly env: string;
  readonly client?: string;
  readonly secretId?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly tokenEndpoint?: string;
  readonly apiUrl?: string;
}

export interface Caller {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Stage base URL when the source knows it (needed by `m2m call`). */
  readonly apiUrl: string | undefined;
  /** The full scope identifiers the client may request, when the source lists them. */
  readonly scopes?: readonly string[];
  /** The offline environment's credentials file, when the caller comes from it. */
  readonly localFile?: string;
  /** Re-reads the credentials from where they came (Secrets Manager, the offline file), after a rotation; absent for flags. */
  readonly reloadCredentials?: () => Promise<{ clientId: string; clientSecret: string }>;
}

function pickLocalClient(clients: readonly LocalClientCredentials[], name: string | undefined, file: string): LocalClientCredentials {
  const names = clients.map((c) => c.name).join(", ");
  if (name === undefined) {
    if (clients.length === 1) return clients[0]!;
    throw new UsageError(`choose a client with --client NAME (${file} has: ${names})`);
  }
  const client = clients.find((c) => c.name === name);
  if (!client) throw new UsageError(`no client "${name}" in ${file} (it has: ${names})`);
  return client;
}

const trimSlash = (url: string | undefined) => url?.replace(/\/+$/, "");

/** An http(s) URL, or a usage error naming where it came from (`--api-url`, `M2M_API_URL`). */
function httpUrl(value: string | undefined, from: string, example: string): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:") || url.hostname === "") {
    throw new UsageError(`${from} must be an http(s) URL such as ${example}, got "${value}"`);
  }
  return value;
}

const API_URL_EXAMPLE = "https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev";
const TOKEN_ENDPOINT_EXAMPLE = "https://my-prefix.auth.eu-west-1.amazoncognito.com/oauth2/token";

/** `--secret-id NAME` (not an ARN) leaves the region to the SDK: say it is missing before the SDK's "Region is missing". */
function requireRegionFor(secretId: string, environment: NodeJS.ProcessEnv): void {
  if (secretId.startsWith("arn:")) return;
  if (awsRegion(environment) === undefined) {
    throw new CommandFailure(`no AWS region for secret "${secretId}": set AWS_REGION or pass the secret's ARN (checked ${awsPlacesChecked(environment, "region")})`);
  }
}

export async function resolveCaller(flags: CallerFlags, environment: NodeJS.ProcessEnv): Promise<Caller> {
  const sources = [flags.local && "--local", flags.outputs !== undefined && "--outputs", flags.secretId !== undefined && "--secret-id"].filter(Boolean);
  if (sources.length > 1) throw new UsageError(`use one credential source, not ${sources.join(" and ")}`);
  // The README promises exactly one source: explicit credentials beside another source would be silently ignored.
  const explicit = [flags.clientId !== undefined && "--client-id", flags.clientSecret !== undefined && "--client-secret", flags.tokenEndpoint !== undefined && !flags.secretId && "--token-endpoint"].filter(Boolean);
  if (sources.length === 1 && explicit.length > 0) {
    throw new UsageError(`use one credential source: ${sources[0]} or ${explicit.join(", ")}, not both`);
  }
  const apiUrlOverride = trimSlash(
    flags.apiUrl !== undefined ? httpUrl(flags.apiUrl, "--api-url", API_URL_EXAMPLE) : httpUrl(environment.M2M_API_URL || undefined, "M2M_API_URL", API_URL_EXAMPLE),
  );

  if (flags.local) {
    const file = readCredentialsFile(flags.localFile);
    const client = pickLocalClient(file.clients, flags.client, flags.localFile);
    // The offline environment rewrites its file after `m2m secret rotate --local`.
    const reloadCredentials = async () => pickLocalClient(readCredentialsFile(flags.localFile).clients, client.name, flags.localFile);
    return { tokenEndpoint: file.tokenEndpoint, clientId: client.clientId, clientSecret: client.clientSecret, apiUrl: apiUrlOverride ?? file.apiUrl, scopes: client.scopes, localFile: flags.localFile, reloadCredentials };
  }

  if (flags.outputs !== undefined) {
    const outputs = readStackOutputs(flags.outputs, flags.env);
    if (flags.client === undefined) throw new UsageError(`choose a client with --client NAME (outputs list: ${Object.keys(outputs.clientSecretArns).join(", ")})`);
    const arn = outputs.clientSecretArns[flags.client];
    if (arn === undefined) throw new UsageError(`no client "${flags.client}" in the outputs of "${flags.env}" (they list: ${Object.keys(outputs.clientSecretArns).join(", ")})`);
    const secret = sharedSecretReader(arn);
    const stored = await secret.read();
    return { tokenEndpoint: outputs.tokenEndpoint, clientId: stored.clientId, clientSecret: stored.clientSecret, apiUrl: apiUrlOverride ?? outputs.invokeUrl, scopes: stored.scopes, reloadCredentials: secret.read };
  }

  if (flags.secretId !== undefined) {
    requireRegionFor(flags.secretId, environment);
    const secret = sharedSecretReader(flags.secretId);
    const stored = await secret.read();
    const tokenEndpoint = httpUrl(flags.tokenEndpoint, "--token-endpoint", TOKEN_ENDPOINT_EXAMPLE) ?? stored.tokenEndpoint;
    return { tokenEndpoint, clientId: stored.clientId, clientSecret: stored.clientSecret, apiUrl: apiUrlOverride, scopes: stored.scopes, reloadCredentials: secret.read };
  }

  const clientId = flags.clientId ?? environment.M2M_CLIENT_ID;
  const clientSecret = flags.clientSecret ?? environment.M2M_CLIENT_SECRET;
  const tokenEndpoint =
    flags.tokenEndpoint !== undefined
      ? httpUrl(flags.tokenEndpoint, "--token-endpoint", TOKEN_ENDPOINT_EXAMPLE)
      : httpUrl(environment.M2M_TOKEN_ENDPOINT || undefined, "M2M_TOKEN_ENDPOINT", TOKEN_ENDPOINT_EXAMPLE);
  const missing = [
    !clientId && "--client-id (or M2M_CLIENT_ID)",
    !clientSecret && "--client-secret (or M2M_CLIENT_SECRET)",
    !tokenEndpoint && "--token-endpoint (or M2M_TOKEN_ENDPOINT)",
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new UsageError(`no credentials: pass --local, --outputs FILE, --secret-id ID, or ${missing.join(", ")}`);
  }
  return { tokenEndpoint: tokenEndpoint!, clientId: clientId!, clientSecret: clientSecret!, apiUrl: apiUrlOverride };
}

/**
 * `--scope read` means the client's scope named `read`: its full identifier is
 * `<resource server identifier>/read`, which for the offline environment includes a random port.
 * A full identifier (with `://`) is taken as given.
 */
export function expandScopes(requested: readonly string[], caller: Caller): string[] {
  return requested.map((scope) => {
    if (scope.includes("://")) return scope;
    if (caller.scopes !== undefined) {
      const match = caller.scopes.find((s) => s.endsWith(`/${scope}`));
      if (match !== undefined) return match;
      const short = caller.scopes.map((s) => s.slice(s.lastIndexOf("/") + 1));
      throw new UsageError(`this client has no scope "${scope}" (it may request: ${short.join(", ")})`);
    }
    if (caller.apiUrl !== undefined) return `${caller.apiUrl}/${scope}`;
    throw new UsageError(`--scope ${scope}: give the full identifier (<resource server identifier>/${scope}), or --api-url so the short name can be expanded`);
  });
}
