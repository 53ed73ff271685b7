/**
 * `m2m`: get a token, call the API, smoke-test a stack, run the offline environment.
 * User mistakes end with one line on stderr and a non-zero exit status, never a stack trace.
 */
import { resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { setDecisionLogSink } from "../lambdas/scope-checker/decision-log";
import { DEFAULT_CREDENTIALS_FILE, LocalCredentialsFileError, readCredentialsFile } from "../local/credentials-file";
import { startLocalEnvironment, UnknownEnvironmentError } from "../local/local-environment";
import type { Environment } from "../model/model-types";
import { resolveCaller, type CallerFlags } from "./caller";
import { ClientDisabledError, readClientCredentialsSecret, SecretLookupError } from "./client-secret-store";
import { TokenClientError } from "./errors";
import { fetchWithToken } from "./fetch-with-token";
import { DEFAULT_CONFIG_FILE, environmentOf, loadModel } from "./load-model";
import { formatSmokeTable, runSmoke, type SmokeCredentials, type SmokeTarget } from "./smoke";
import { readStackOutputs, StackOutputsError } from "./stack-outputs";
import { createTokenClient } from "./token-client";
import { UsageError } from "./usage-error";

const DEFAULT_ENVIRONMENT = "dev";
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/** Every option of every command is listed here (a test holds the help to the option tables below). */
export const HELP = `usage: m2m <command> [options]

commands:
  token                    print an access token
  call METHOD PATH         call the API with a token, print status and body
  smoke                    check every route against every client; non-zero exit on any mismatch
  dev                      run the offline environment (token endpoint + API) on 127.0.0.1
  help                     print this text (also --help, -h)

credentials (token, call), from exactly one source:
  --local [--client NAME]               the running offline environment
      --local-file FILE                 its credentials file (default ${DEFAULT_CREDENTIALS_FILE})
  --outputs FILE --client NAME [--env NAME]   a deployed stack (cdktf deploy --outputs-file; --env default ${DEFAULT_ENVIRONMENT}),
                                        the client's secret from Secrets Manager
  --secret-id ID                        a client's secret in AWS Secrets Manager
  --client-id ID --client-secret SECRET --token-endpoint URL   (or M2M_CLIENT_ID, M2M_CLIENT_SECRET, M2M_TOKEN_ENDPOINT)
  --api-url URL (or M2M_API_URL)        the stage URL, for call with --secret-id or explicit credentials
  --scope SCOPE                         request this scope (repeatable; default: all of the client's scopes)

call:   --data JSON                     send JSON as the body, with content-type: application/json
smoke:  --local [--local-file FILE] | --outputs FILE --env NAME      [--config FILE]
dev:    [--env NAME] [--port N] [--access-log] [--config FILE] [--local-file FILE]
        defaults: --env ${DEFAULT_ENVIRONMENT}, --port 0 (any free port), --config ${DEFAULT_CONFIG_FILE}, --local-file ${DEFAULT_CREDENTIALS_FILE}
`;

interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

const credentialOptions = {
  local: { type: "boolean", default: false },
  "local-file": { type: "string", default: DEFAULT_CREDENTIALS_FILE },
  outputs: { type: "string" },
  env: { type: "string" },
  client: { type: "string" },
  "secret-id": { type: "string" },
  "client-id": { type: "string" },
  "client-secret": { type: "string" },
  "token-endpoint": { type: "string" },
  "api-url": { type: "string" },
  scope: { type: "string", multiple: true },
} as const satisfies ParseArgsConfig["options"];

const callOptions = { ...credentialOptions, data: { type: "string" } } as const satisfies ParseArgsConfig["options"];

const smokeOptions = {
  local: { type: "boolean", default: false },
  "local-file": { type: "string", default: DEFAULT_CREDENTIALS_FILE },
  outputs: { type: "string" },
  env: { type: "string" },
  config: { type: "string", default: DEFAULT_CONFIG_FILE },
} as const satisfies ParseArgsConfig["options"];

const devOptions = {
  env: { type: "string", default: DEFAULT_ENVIRONMENT },
  port: { type: "string", default: "0" },
  config: { type: "string", default: DEFAULT_CONFIG_FILE },
  "local-file": { type: "string", default: DEFAULT_CREDENTIALS_FILE },
  "access-log": { type: "boolean", default: false },
} as const satisfies ParseArgsConfig["options"];

/** The options each command accepts. */
export const COMMAND_OPTIONS: Readonly<Record<"token" | "call" | "smoke" | "dev", NonNullable<ParseArgsConfig["options"]>>> = {
  token: credentialOptions,
  call: callOptions,
  smoke: smokeOptions,
  dev: devOptions,
};

/** parseArgs with its multi-sentence errors cut to one line. */
function parse<O extends NonNullable<ParseArgsConfig["options"]>>(args: readonly string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    const message = (error as Error).message.split(/\.\s/)[0]!.replace(/\.$/, "");
    throw new UsageError(`${message} (see m2m --help)`);
  }
}

function callerFlags(values: Record<string, unknown>): CallerFlags {
  const str = (key: string) => values[key] as string | undefined;
  return {
    local: values.local === true,
    localFile: str("local-file")!,
    env: str("env") ?? DEFAULT_ENVIRONMENT,
    ...(str("outputs") === undefined ? {} : { outputs: str("outputs")! }),
    ...(str("client") === undefined ? {} : { client: str("client")! }),
    ...(str("secret-id") === undefined ? {} : { secretId: str("secret-id")! }),
    ...(str("client-id") === undefined ? {} : { clientId: str("client-id")! }),
    ...(str("client-secret") === undefined ? {} : { clientSecret: str("client-secret")! }),
    ...(str("token-endpoint") === undefined ? {} : { tokenEndpoint: str("token-endpoint")! }),
    ...(str("api-url") === undefined ? {} : { apiUrl: str("api-url")! }),
  };
}

async function tokenCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, credentialOptions, true);
  if (positionals.length > 0) throw new UsageError(`token takes no arguments, got "${positionals[0]}"`);
  const caller = await resolveCaller(callerFlags(values), io.env);
  const tokens = createTokenClient({ ...caller, ...(values.scope ? { scopes: values.scope } : {}) });
  io.stdout(`${await tokens.getToken()}\n`);
  return 0;
}

async function callCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, callOptions, true);
  const [method, path, ...extra] = positionals;
  if (method === undefined || path === undefined) throw new UsageError("usage: m2m call METHOD PATH [--data JSON]");
  if (extra.length > 0) throw new UsageError(`call takes METHOD and PATH only, got also "${extra[0]}"`);
  const upper = method.toUpperCase();
  if (!HTTP_METHODS.includes(upper)) throw new UsageError(`unknown method "${method}" (one of ${HTTP_METHODS.join(", ")})`);
  if (!path.startsWith("/")) throw new UsageError(`path must start with /, got "${path}"`);
  if (values.data !== undefined) {
    try {
      JSON.parse(values.data);
    } catch {
      throw new UsageError("--data is not valid JSON");
    }
  }
  const caller = await resolveCaller(callerFlags(values), io.env);
  if (caller.apiUrl === undefined) throw new UsageError("no API URL: pass --api-url URL (or M2M_API_URL), --local or --outputs FILE");
  const tokens = createTokenClient({ ...caller, ...(values.scope ? { scopes: values.scope } : {}) });
  const url = `${caller.apiUrl}${path}`;
  // The deployed integrations accept application/json only (415 otherwise), and fetch would label a string body text/plain.
  const response = await reachable(url, () =>
    fetchWithToken(tokens, url, {
      method: upper,
      ...(values.data === undefined ? {} : { body: values.data, headers: { "content-type": "application/json" } }),
    }),
  );
  const text = await response.text();
  let body = text;
  try {
    body = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: printed as received.
  }
  io.stdout(`HTTP ${response.status}\n${body}${body.endsWith("\n") || body === "" ? "" : "\n"}`);
  return response.ok ? 0 : 1;
}

/** Turns "fetch failed" into one line naming the host and the reason. */
async function reachable<T>(url: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof TokenClientError || !(error instanceof TypeError)) throw error;
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    throw new UsageError(`cannot reach ${new URL(url).origin}${typeof code === "string" ? ` (${code})` : ""}`);
  }
}

async function smokeCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, smokeOptions, true);
  if (positionals.length > 0) throw new UsageError(`smoke takes no arguments, got "${positionals[0]}"`);
  if (values.local === (values.outputs !== undefined)) throw new UsageError("smoke needs exactly one target: --local, or --outputs FILE --env NAME");
  const model = loadModel(values.config);

  let environment: Environment;
  let target: SmokeTarget;
  if (values.local) {
    const file = readCredentialsFile(values["local-file"]);
    if (values.env !== undefined && values.env !== file.environment) {
      throw new UsageError(`the offline environment runs "${file.environment}", not "${values.env}" (restart it with m2m dev --env ${values.env})`);
    }
    environment = environmentOf(model, file.environment);
    target = {
      apiUrl: file.apiUrl,
      tokenEndpoint: file.tokenEndpoint,
      credentials: new Map(file.clients.map((c) => [c.name, { clientId: c.clientId, clientSecret: c.clientSecret }])),
    };
  } else {
    if (values.env === undefined) throw new UsageError("smoke --outputs needs --env NAME (the stack to check)");
    environment = environmentOf(model, values.env);
    const outputs = readStackOutputs(values.outputs!, values.env);
    const credentials = new Map<string, SmokeCredentials>();
    const cutOffClients = new Set<string>();
    for (const client of environment.clients) {
      const arn = outputs.clientSecretArns[client.name];
      if (arn === undefined) continue; // reported as "no credentials" for each of its checks
      try {
        const stored = await readClientCredentialsSecret(arn);
        credentials.set(client.name, { clientId: stored.clientId, clientSecret: stored.clientSecret });
      } catch (error) {
        // A disabled client's secret holds `{"disabled": true}`: judged by the smoke, not fatal.
        if (!(error instanceof ClientDisabledError)) throw error;
        cutOffClients.add(client.name);
      }
    }
    target = { apiUrl: outputs.invokeUrl, tokenEndpoint: outputs.tokenEndpoint, credentials, cutOffClients };
  }

  const report = await reachable(target.apiUrl, () => runSmoke({ model, environment, target }));
  io.stdout(`${formatSmokeTable(report)}\n`);
  return report.failed === 0 ? 0 : 1;
}

async function devCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, devOptions, true);
  if (positionals.length > 0) throw new UsageError(`dev takes no arguments, got "${positionals[0]}"`);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port must be 0-65535 (0 = any free port), got "${values.port}"`);
  const model = loadModel(values.config);
  environmentOf(model, values.env);

  const accessLog = values["access-log"];
  // The scope checker logs one JSON line per decision (as in CloudWatch): shown with --access-log only.
  setDecisionLogSink(accessLog ? (record) => io.stderr(`${JSON.stringify(record)}\n`) : () => undefined);
  let local;
  try {
    local = await startLocalEnvironment({
      model,
      environment: values.env,
      port,
      credentialsFile: resolve(values["local-file"]),
      ...(accessLog ? { onRequest: ({ method, path, status }: { method: string; path: string; status: number }) => io.stderr(`${status} ${method} ${path}\n`) } : {}),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new UsageError(`port ${port} is in use: choose another with --port, or --port 0 for any free port`);
    throw error;
  }
  io.stdout(`m2m dev: "${values.env}" ready at ${local.apiUrl} (token endpoint ${local.tokenEndpoint}); credentials in ${values["local-file"]}; Ctrl+C stops\n`);

  await new Promise<void>((done) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void local.close().then(done);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}

/** Errors that are the user's to fix: their message is the whole story. */
function isUserFacing(error: unknown): error is Error {
  return (
    error instanceof UsageError || error instanceof LocalCredentialsFileError || error instanceof StackOutputsError ||
    error instanceof SecretLookupError || error instanceof TokenClientError || error instanceof UnknownEnvironmentError
  );
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "token":
        return await tokenCommand(rest, io);
      case "call":
        return await callCommand(rest, io);
      case "smoke":
        return await smokeCommand(rest, io);
      case "dev":
        return await devCommand(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (token, call, smoke, dev; see m2m --help)`);
    }
  } catch (error) {
    if (isUserFacing(error)) {
      io.stderr(`m2m: ${error.message.split("\n")[0]}\n`);
      return error instanceof UsageError ? 2 : 1;
    }
    const e = error as Error;
    io.stderr(`m2m: unexpected ${e?.name ?? "error"}: ${String(e?.message ?? e).split("\n")[0]}\n`);
    return 1;
  }
}

/** Entry point for `tsx client/cli.ts` and bin/m2m.js. */
export function run(): void {
  const io: Io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) run();
