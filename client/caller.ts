/**
 * Who calls and where, for `m2m token` and `m2m call`, from exactly one source:
 * - `--local`: the running offline environment's `.m2m/local.json` (`--client NAME`);
 * - `--outputs FILE --env NAME`: a deployed stack's outputs, the client's secret from Secrets Manager (`--client NAME`);
 * - `--secret-id ID`: one client's secret in Secrets Manager;
 * - otherwise flags or environment variables: `--client-id`/`M2M_CLIENT_ID`,
 *   `--client-secret`/`M2M_CLIENT_SECRET`, `--token-endpoint`/`M2M_TOKEN_ENDPOINT`, `--api-url`/`M2M_API_URL`.
 * The first two list every API (stage URL, resource server identifier); `--api NAME` picks one,
 * and is needed only where the config has several (client/api-choice.ts picks one by route).
 */
import { readCredentialsFile, type LocalClientCredentials } from "../local/credentials-file";
import { GRANT_SEPARATOR } from "../model/scope-grants";
import { CommandFailure } from "../model/command-voice";
import { awsPlacesChecked, awsRegion } from "./aws-environment";
import { sharedSecretReader } from "./client-secret-store";
import { readStackOutputs } from "./stack-outputs";
import { LOOPBACK_HOSTS } from "./token-client";
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
  /** `--api NAME`: the API to call (and whose scopes short names mean). */
  readonly api?: string;
  /** `--cert FILE --key FILE`: a client certificate for mutual TLS; `--ca FILE`: the CA to trust for the servers' certificates. */
  readonly cert?: string;
  readonly key?: string;
  readonly ca?: string;
}

/** TLS files of a caller (paths): a client certificate and key, a CA to trust. */
export interface CallerTls {
  readonly cert?: string;
  readonly key?: string;
  readonly ca?: string;
}

/** One API as a credential source lists it. */
export interface CallerApi {
  /** Absent for a one-API stack's outputs, which do not name their API. */
  readonly name?: string;
  /** Stage base URL. */
  readonly url: string;
  /** The prefix of its scopes. */
  readonly resourceServerIdentifier: string;
  /** Its routes as `METHOD /path`, when the source lists them (the offline credentials file). */
  readonly routes?: readonly string[];
}

export interface Caller {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Stage base URL when the source knows it (needed by `m2m call`): `--api-url`, the chosen API's, or the only API's. */
  readonly apiUrl: string | undefined;
  /** Every API the source lists (none for `--secret-id` and explicit credentials). */
  readonly apis: readonly CallerApi[];
  /** The API being called: `--api NAME`, or the only one. */
  readonly api?: CallerApi;
  /** The full scope identifiers the client may request, when the source lists them. */
  readonly scopes?: readonly string[];
  /** The offline environment's credentials file, when the caller comes from it. */
  readonly localFile?: string;
  /** TLS files: the flags', or with `--local` the offline environment's (its CA, the client's certificate). */
  readonly tls?: CallerTls;
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

/** A token endpoint URL: https, or http on this machine (as the token client insists); a usage error naming the flag or variable otherwise. */
function tokenEndpointUrl(value: string | undefined, from: string): string | undefined {
  const url = httpUrl(value, from, TOKEN_ENDPOINT_EXAMPLE);
  if (url !== undefined && new URL(url).protocol === "http:" && !LOOPBACK_HOSTS.has(new URL(url).hostname)) {
    throw new UsageError(`${from} must use https (plain http only to 127.0.0.1 or localhost), got "${value}"`);
  }
  return url;
}

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

/** `--api NAME` among the source's APIs (a usage error naming them when it is not one), else the only API. */
function chooseApi(apis: readonly CallerApi[], name: string | undefined, source: string): CallerApi | undefined {
  if (name === undefined) return apis.length === 1 ? apis[0] : undefined;
  // A one-API stack's outputs do not name their API: the only one is the one meant.
  if (apis.length === 1 && apis[0]!.name === undefined) return apis[0];
  const api = apis.find((a) => a.name === name);
  if (!api) throw new UsageError(`unknown API "${name}" (APIs in ${source}: ${apis.map((a) => a.name).join(", ")})`);
  return api;
}

/** The caller with an API chosen: its URL (unless `--api-url` set one) and the API short scope names refer to. */
export function withApi(caller: Caller, api: CallerApi, apiUrlOverride?: string): Caller {
  return { ...caller, api, apiUrl: apiUrlOverride ?? api.url };
}

/** The flags' TLS files over the source's; a certificate needs its key and a key its certificate. */
function tlsOf(flags: CallerFlags, source: CallerTls = {}): CallerTls | undefined {
  if ((flags.cert === undefined) !== (flags.key === undefined)) throw new UsageError(`--cert and --key go together (a client certificate and its private key), got only ${flags.cert === undefined ? "--key" : "--cert"}`);
  const cert = flags.cert ?? source.cert;
  const key = flags.key ?? source.key;
  const ca = flags.ca ?? source.ca;
  if (cert === undefined && ca === undefined) return undefined;
  return { ...(cert === undefined ? {} : { cert, key: key! }), ...(ca === undefined ? {} : { ca }) };
}

export async function resolveCaller(flags: CallerFlags, environment: NodeJS.ProcessEnv): Promise<Caller> {
  const caller = await resolveCredentials(flags, environment);
  if (caller.tls !== undefined) return caller;
  const tls = tlsOf(flags);
  return tls ? { ...caller, tls } : caller;
}

async function resolveCredentials(flags: CallerFlags, environment: NodeJS.ProcessEnv): Promise<Caller> {
  const sources = [flags.local && "--local", flags.outputs !== undefined && "--outputs", flags.secretId !== undefined && "--secret-id"].filter(Boolean);
  if (sources.length > 1) throw new UsageError(`use one credential source, not ${sources.join(" and ")}`);
  // The README promises exactly one source: explicit credentials beside another source would be silently ignored.
  const explicit = [flags.clientId !== undefined && "--client-id", flags.clientSecret !== undefined && "--client-secret", flags.tokenEndpoint !== undefined && !flags.secretId && "--token-endpoint"].filter(Boolean);
  if (sources.length === 1 && explicit.length > 0) {
    throw new UsageError(`use one credential source: ${sources[0]} or ${explicit.join(", ")}, not both`);
  }
  // The same for credentials in the environment, which would otherwise be ignored without a word.
  const fromEnvironment = ["M2M_CLIENT_ID", "M2M_CLIENT_SECRET", "M2M_TOKEN_ENDPOINT"].filter((name) => environment[name]);
  if (sources.length === 1 && fromEnvironment.length > 0) {
    throw new UsageError(`use one credential source: ${sources[0]} or ${fromEnvironment.join(", ")} in the environment, not both (unset ${fromEnvironment.join(" ")})`);
  }
  const apiUrlOverride = trimSlash(
    flags.apiUrl !== undefined ? httpUrl(flags.apiUrl, "--api-url", API_URL_EXAMPLE) : httpUrl(environment.M2M_API_URL || undefined, "M2M_API_URL", API_URL_EXAMPLE),
  );

  if (sources.length === 0 && flags.api !== undefined) {
    throw new UsageError("--api needs --local or --outputs FILE (the other credential sources list no APIs): pass --api-url URL instead");
  }

  if (flags.local) {
    const file = readCredentialsFile(flags.localFile);
    const client = pickLocalClient(file.clients, flags.client, flags.localFile);
    const apis = file.apis.map((a) => ({ name: a.name, url: a.url, resourceServerIdentifier: a.url, routes: a.routes }));
    const api = chooseApi(apis, flags.api, flags.localFile);
    // The offline environment rewrites its file after `m2m secret rotate --local`.
    const reloadCredentials = async () => pickLocalClient(readCredentialsFile(flags.localFile).clients, client.name, flags.localFile);
    const tls = tlsOf(flags, { ca: file.caFile, cert: client.certFile, key: client.keyFile });
    return {
      tokenEndpoint: file.tokenEndpoint, clientId: client.clientId, clientSecret: client.clientSecret, apiUrl: apiUrlOverride ?? api?.url,
      apis, ...(api ? { api } : {}), scopes: client.scopes, localFile: flags.localFile, reloadCredentials, ...(tls ? { tls } : {}),
    };
  }

  if (flags.outputs !== undefined) {
    const outputs = readStackOutputs(flags.outputs, flags.env);
    if (flags.client === undefined) throw new UsageError(`choose a client with --client NAME (outputs list: ${Object.keys(outputs.clientSecretArns).join(", ")})`);
    const arn = outputs.clientSecretArns[flags.client];
    if (arn === undefined) throw new UsageError(`no client "${flags.client}" in the outputs of "${flags.env}" (they list: ${Object.keys(outputs.clientSecretArns).join(", ")})`);
    const apis = outputs.apis.map((a) => ({ ...(a.name === undefined ? {} : { name: a.name }), url: a.invokeUrl, resourceServerIdentifier: a.resourceServerIdentifier }));
    const api = chooseApi(apis, flags.api, `the outputs of "${flags.env}"`);
    const secret = sharedSecretReader(arn);
    const stored = await secret.read();
    return {
      tokenEndpoint: outputs.tokenEndpoint, clientId: stored.clientId, clientSecret: stored.clientSecret, apiUrl: apiUrlOverride ?? api?.url,
      apis, ...(api ? { api } : {}), scopes: stored.scopes, reloadCredentials: secret.read,
    };
  }

  if (flags.secretId !== undefined) {
    requireRegionFor(flags.secretId, environment);
    const secret = sharedSecretReader(flags.secretId);
    const stored = await secret.read();
    const tokenEndpoint = tokenEndpointUrl(flags.tokenEndpoint, "--token-endpoint") ?? stored.tokenEndpoint;
    return { tokenEndpoint, clientId: stored.clientId, clientSecret: stored.clientSecret, apiUrl: apiUrlOverride, apis: [], scopes: stored.scopes, reloadCredentials: secret.read };
  }

  const clientId = flags.clientId ?? environment.M2M_CLIENT_ID;
  const clientSecret = flags.clientSecret ?? environment.M2M_CLIENT_SECRET;
  const tokenEndpoint =
    flags.tokenEndpoint !== undefined
      ? tokenEndpointUrl(flags.tokenEndpoint, "--token-endpoint")
      : tokenEndpointUrl(environment.M2M_TOKEN_ENDPOINT || undefined, "M2M_TOKEN_ENDPOINT");
  const missing = [
    !clientId && "--client-id (or M2M_CLIENT_ID)",
    !clientSecret && "--client-secret (or M2M_CLIENT_SECRET)",
    !tokenEndpoint && "--token-endpoint (or M2M_TOKEN_ENDPOINT)",
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new UsageError(`no credentials: pass --local, --outputs FILE, --secret-id ID, or ${missing.join(", ")}`);
  }
  return { tokenEndpoint: tokenEndpoint!, clientId: clientId!, clientSecret: clientSecret!, apiUrl: apiUrlOverride, apis: [] };
}

/** The part after the resource server identifier: a scope's own name. */
const shortName = (identifier: string) => identifier.slice(identifier.lastIndexOf("/") + 1);

/** `<api>:<scope>` naming one of the caller's APIs, as a config grants it; anything else is a plain scope name. */
function splitGrant(scope: string, apis: readonly CallerApi[]): { api?: CallerApi; name: string } {
  const at = scope.indexOf(GRANT_SEPARATOR);
  const api = at > 0 ? apis.find((a) => a.name === scope.slice(0, at)) : undefined;
  return api ? { api, name: scope.slice(at + 1) } : { name: scope };
}

/** How a full identifier reads to the user: `<api>:<scope>` with several APIs, the scope's name with one. */
export function scopeLabel(identifier: string, apis: readonly CallerApi[]): string {
  const api = apis.length > 1 ? apis.find((a) => identifier.startsWith(`${a.resourceServerIdentifier}/`)) : undefined;
  return api?.name !== undefined ? `${api.name}${GRANT_SEPARATOR}${shortName(identifier)}` : shortName(identifier);
}

/**
 * `--scope read` means the client's scope named `read` on the API being called (`--api`, the
 * route's, or the only one): its full identifier is `<that API's resource server identifier>/read`,
 * which for the offline environment includes a random port. `--scope payments:read` names the API
 * itself. A full identifier (with `://`) is taken as given. A short name the client holds on
 * several APIs, with no API chosen, is a usage error naming them.
 */
export function expandScopes(requested: readonly string[], caller: Caller): string[] {
  return requested.map((scope) => {
    if (scope.includes("://")) return scope;
    const { api: named, name } = splitGrant(scope, caller.apis);
    const api = named ?? caller.api;
    if (caller.scopes !== undefined) {
      const matches = caller.scopes.filter((s) => shortName(s) === name && (api === undefined || s === `${api.resourceServerIdentifier}/${name}`));
      if (matches.length === 1) return matches[0]!;
      if (matches.length > 1) {
        throw new UsageError(`scope "${name}" is on several APIs (${matches.map((s) => scopeLabel(s, caller.apis)).join(", ")}): choose one with --api NAME or --scope <api>${GRANT_SEPARATOR}${name}`);
      }
      const on = api?.name !== undefined && caller.apis.length > 1 ? ` on ${api.name}` : "";
      throw new UsageError(`this client has no scope "${name}"${on} (it may request: ${caller.scopes.map((s) => scopeLabel(s, caller.apis)).join(", ")})`);
    }
    if (api !== undefined) return `${api.resourceServerIdentifier}/${name}`;
    if (caller.apiUrl !== undefined) return `${caller.apiUrl}/${scope}`;
    throw new UsageError(`--scope ${scope}: give the full identifier (<resource server identifier>/${scope}), or --api-url so the short name can be expanded`);
  });
}
