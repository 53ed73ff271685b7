/**
 * Who calls and where, for `m2m token` and `m2m call`, from exactly one source:
 * - `--local`: the running offline environment's `.m2m/local.json` (`--client NAME`);
 * - `--outputs FILE --env NAME`: a deployed stack's outputs, the client's secret from Secrets Manager (`--client NAME`);
 * - `--secret-id ID`: one client's secret in Secrets Manager;
 * - otherwise flags or environment variables: `--client-id`/`M2M_CLIENT_ID`,
 *   `--client-secret`/`M2M_CLIENT_SECRET`, `--token-endpoint`/`M2M_TOKEN_ENDPOINT`, `--api-url`/`M2M_API_URL`.
 */
import { readCredentialsFile, type LocalClientCredentials } from "../local/credentials-file";
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
  /** Re-reads the credentials from where they came (Secrets Manager), after a rotation; absent for flags. */
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

export async function resolveCaller(flags: CallerFlags, environment: NodeJS.ProcessEnv): Promise<Caller> {
  const sources = [flags.local && "--local", flags.outputs !== undefined && "--outputs", flags.secretId !== undefined && "--secret-id"].filter(Boolean);
  if (sources.length > 1) throw new UsageError(`use one credential source, not ${sources.join(" and ")}`);
  const apiUrlOverride = trimSlash(flags.apiUrl ?? environment.M2M_API_URL);

  if (flags.local) {
    const file = readCredentialsFile(flags.localFile);
    const client = pickLocalClient(file.clients, flags.client, flags.localFile);
    // The offline environment rewrites its file after `m2m secret rotate --local`.
    const reloadCredentials = async () => pickLocalClient(readCredentialsFile(flags.localFile).clients, client.name, flags.localFile);
    return { tokenEndpoint: file.tokenEndpoint, clientId: client.clientId, clientSecret: client.clientSecret, apiUrl: apiUrlOverride ?? file.apiUrl, reloadCredentials };
  }

  if (flags.outputs !== undefined) {
    const outputs = readStackOutputs(flags.outputs, flags.env);
    if (flags.client === undefined) throw new UsageError(`choose a client with --client NAME (outputs list: ${Object.keys(outputs.clientSecretArns).join(", ")})`);
    const arn = outputs.clientSecretArns[flags.client];
    if (arn === undefined) throw new UsageError(`no client "${flags.client}" in the outputs of "${flags.env}" (they list: ${Object.keys(outputs.clientSecretArns).join(", ")})`);
    const secret = sharedSecretReader(arn);
    const stored = await secret.read();
    return { tokenEndpoint: outputs.tokenEndpoint, clientId: stored.clientId, clientSecret: stored.clientSecret, apiUrl: apiUrlOverride ?? outputs.invokeUrl, reloadCredentials: secret.read };
  }

  if (flags.secretId !== undefined) {
    const secret = sharedSecretReader(flags.secretId);
    const stored = await secret.read();
    return { tokenEndpoint: flags.tokenEndpoint ?? stored.tokenEndpoint, clientId: stored.clientId, clientSecret: stored.clientSecret, apiUrl: apiUrlOverride, reloadCredentials: secret.read };
  }

  const clientId = flags.clientId ?? environment.M2M_CLIENT_ID;
  const clientSecret = flags.clientSecret ?? environment.M2M_CLIENT_SECRET;
  const tokenEndpoint = flags.tokenEndpoint ?? environment.M2M_TOKEN_ENDPOINT;
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
