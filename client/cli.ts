/**
 * `m2m`: get a token, call the API, smoke-test a stack, run the offline environment.
 * User mistakes end with one line on stderr and a non-zero exit status, never a stack trace.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { setDecisionLogSink } from "../lambdas/scope-checker/decision-log";
import { DEFAULT_CREDENTIALS_FILE, LocalCredentialsFileError, readCredentialsFile } from "../local/credentials-file";
import { backendUrlProblem } from "../model/backends";
import { allRoutes } from "../model/apis";
import type { Environment, Route } from "../model/model-types";
import { connect } from "node:net";
import { CommandFailure, EXIT_FAILURE, EXIT_OK, reportFailure, warningLine } from "../model/command-voice";
import { configWarnings } from "../model/config-warnings";
import { teamFileWarnings } from "../model/team-file-warnings";
import { apiForRoute, routeServes } from "./api-choice";
import { explainRefusal, type CalledRoute } from "./refusal";
import { expandScopes, resolveCaller, withApi, type Caller, type CallerFlags } from "./caller";
import { ClientDisabledError, readClientCredentialsSecret, SecretLookupError } from "./client-secret-store";
import { OAuthError, TokenClientError } from "./errors";
import { fetchWithToken } from "./fetch-with-token";
import { DEFAULT_CONFIG_FILE } from "./config-file";
import type { SmokeCredentials, SmokeTarget } from "./smoke";
import type { RequestLogEntry } from "../local/local-environment";
import { rotateClientSecret, SecretRotationError } from "./secret-rotate";
import { readStackOutputs, StackOutputsError } from "./stack-outputs";
import { tlsFetch } from "./tls-fetch";
import { createTokenClient, type FetchLike } from "./token-client";
import { UsageError } from "./usage-error";

const DEFAULT_ENVIRONMENT = "dev";

/**
 * Loaded on first use: `m2m token` and `m2m call` need neither the config's validator (zod
 * builds its schemas at load), nor the offline environment, the smoke runner or the doctor.
 * Loading them up front cost every call tens of milliseconds.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const configModel = () => require("./load-model") as typeof import("./load-model");
const loadModel = (file: string) => configModel().loadModel(file);
const environmentOf = (model: Parameters<typeof import("./load-model").environmentOf>[0], name: string) => configModel().environmentOf(model, name);
const offline = () => require("../local/local-environment") as typeof import("../local/local-environment");
// node-forge is loaded only by `m2m dev --tls`.
const offlineCa = () => require("../local/local-ca") as typeof import("../local/local-ca");
const smoke = () => require("./smoke") as typeof import("./smoke");
const doctor = () => require("./doctor") as typeof import("./doctor");
/* eslint-enable @typescript-eslint/no-require-imports */
/** What stops `m2m dev`: Ctrl+C, kill/npm/CI, a closed terminal. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/** Every option of every command is listed here (a test holds the help to the option tables below). */
export const HELP = `usage: m2m <command> [options]

commands:
  token                    print an access token
  call METHOD PATH         call the API with a token, print status and body
  smoke                    check every route against every client; non-zero exit on any mismatch
  dev                      run the offline environment (token endpoint + API) on 127.0.0.1
  doctor                   check what a deploy needs (terraform, the pinned providers, AWS credentials, concurrency, state); npm run preflight
  secret rotate            rotate a client's secret now (Secrets Manager RotateSecret)
  help                     print this text (also --help, -h)

credentials (token, call), from exactly one source:
  --local [--client NAME]               the running offline environment
      --local-file FILE                 its credentials file (default ${DEFAULT_CREDENTIALS_FILE})
  --outputs FILE --client NAME [--env NAME]   a deployed stack (npm run deploy -- ENV --outputs-file FILE; --env default ${DEFAULT_ENVIRONMENT}),
                                        the client's secret from Secrets Manager
  --secret-id ID                        a client's secret in AWS Secrets Manager
  --client-id ID --client-secret SECRET --token-endpoint URL   (or M2M_CLIENT_ID, M2M_CLIENT_SECRET, M2M_TOKEN_ENDPOINT)
  --api-url URL (or M2M_API_URL)        the stage URL, for call with --secret-id or explicit credentials
  --api NAME                            the API to call, with --local or --outputs (needed when the config has several
                                        and the route does not tell; short --scope names are that API's)
  --cert FILE --key FILE                a client certificate for mutual TLS (with --local: the bound client's own by default)
  --ca FILE                             the CA that signed the servers' certificates (with --local: the offline CA by default)
  --scope SCOPE                         request this scope (repeatable; default: all of the client's scopes;
                                        read, <api>:read, or the full identifier)

call:   --data JSON                     send JSON as the body, with content-type: application/json
        --config FILE                   with --outputs and several APIs: the config whose routes tell which API (default ${DEFAULT_CONFIG_FILE})
smoke:  --local [--local-file FILE] | --outputs FILE --env NAME      [--config FILE]
dev:    [--env NAME] [--port N] [--access-log] [--tls] [--config FILE] [--local-file FILE]
        --tls                           HTTPS on 127.0.0.1 with a new local CA (its certificate, and one per client bound to a
                                        certificate subject, in <local-file dir>/tls/); mutual TLS on the APIs where the env has mtls
        [--backend-url "[API] METHOD /path=URL"]  send an HTTP (or lambda-arn) route to a server on this machine (repeatable)
        defaults: --env ${DEFAULT_ENVIRONMENT}, --port 0 (any free port), --config ${DEFAULT_CONFIG_FILE}, --local-file ${DEFAULT_CREDENTIALS_FILE}
doctor: [--env NAME (repeatable; default all)] [--config FILE]
secret rotate:  --env NAME --client NAME [--config FILE]      the deployed secret <api>/<env>/<client> (AWS credentials from the environment)
                --local --client NAME [--local-file FILE]     the running offline environment's
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
  api: { type: "string" },
  scope: { type: "string", multiple: true },
  cert: { type: "string" },
  key: { type: "string" },
  ca: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

const callOptions = { ...credentialOptions, data: { type: "string" }, config: { type: "string", default: DEFAULT_CONFIG_FILE } } as const satisfies ParseArgsConfig["options"];

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
  "backend-url": { type: "string", multiple: true },
  tls: { type: "boolean", default: false },
} as const satisfies ParseArgsConfig["options"];

const doctorOptions = {
  env: { type: "string", multiple: true },
  config: { type: "string", default: DEFAULT_CONFIG_FILE },
} as const satisfies ParseArgsConfig["options"];

const secretRotateOptions = {
  local: { type: "boolean", default: false },
  "local-file": { type: "string", default: DEFAULT_CREDENTIALS_FILE },
  env: { type: "string" },
  client: { type: "string" },
  config: { type: "string", default: DEFAULT_CONFIG_FILE },
} as const satisfies ParseArgsConfig["options"];

/** The options each command accepts. */
export const COMMAND_OPTIONS: Readonly<Record<"token" | "call" | "smoke" | "dev" | "doctor" | "secret rotate", NonNullable<ParseArgsConfig["options"]>>> = {
  token: credentialOptions,
  call: callOptions,
  smoke: smokeOptions,
  dev: devOptions,
  doctor: doctorOptions,
  "secret rotate": secretRotateOptions,
};

/**
 * parseArgs with its multi-sentence errors cut to one line in the CLI's own voice (lower case,
 * double quotes, the command named): `unknown option "--bogus" for token (see m2m --help)`, as
 * `unknown command "frobnicate"` reads.
 */
function parse<O extends NonNullable<ParseArgsConfig["options"]>>(args: readonly string[], options: O, allowPositionals: boolean, command: string) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    const first = (error as Error).message.split(/\.\s/)[0]!.replace(/\.$/, "");
    const message = first.charAt(0).toLowerCase() + first.slice(1).replace(/'([^']*)'/g, '"$1"');
    throw new UsageError(`${message} for ${command} (see m2m --help)`);
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
    ...(str("api") === undefined ? {} : { api: str("api")! }),
    ...(str("cert") === undefined ? {} : { cert: str("cert")! }),
    ...(str("key") === undefined ? {} : { key: str("key")! }),
    ...(str("ca") === undefined ? {} : { ca: str("ca")! }),
  };
}

async function tokenCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, credentialOptions, true, "token");
  if (positionals.length > 0) throw new UsageError(`token takes no arguments, got "${positionals[0]}"`);
  const caller = await resolveCaller(callerFlags(values), io.env);
  await offlineEnvironmentRunning(caller);
  const tokens = createTokenClient({ ...caller, ...fetchOf(caller), ...(values.scope ? { scopes: expandScopes(values.scope, caller) } : {}) });
  io.stdout(`${await withOAuthNextStep(callerFlags(values), () => tokens.getToken())}
`);
  return 0;
}

async function callCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, callOptions, true, "call");
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
  const caller = routedCaller(await resolveCaller(callerFlags(values), io.env), upper, path, values.config);
  if (caller.apiUrl === undefined) throw new UsageError("no API URL: pass --api-url URL (or M2M_API_URL), --local or --outputs FILE");
  await offlineEnvironmentRunning(caller);
  // Over TLS with the given client certificate and CA (--cert/--key/--ca), else the global fetch.
  const transport = fetchOf(caller);
  const tokens = createTokenClient({ ...caller, ...transport, ...(values.scope ? { scopes: expandScopes(values.scope, caller) } : {}) });
  const url = `${caller.apiUrl}${path}`;
  // The token each attempt carried: the last one is what a refusal is explained with.
  let sent: string | undefined;
  const recordingFetch = (input: string | URL, init?: RequestInit) => {
    sent = new Headers(init?.headers).get("authorization")?.replace(/^Bearer /, "");
    return (transport.fetch ?? fetch)(input, init);
  };
  // The deployed integrations accept application/json only (415 otherwise), and fetch would label a string body text/plain.
  const response = await reachable(url, () =>
    withOAuthNextStep(callerFlags(values), () =>
      fetchWithToken(
        tokens,
        url,
        { method: upper, ...(values.data === undefined ? {} : { body: values.data, headers: { "content-type": "application/json" } }) },
        { fetch: recordingFetch },
      ),
    ),
  );
  const text = await response.text();
  let body = text;
  try {
    body = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: printed as received.
  }
  io.stdout(`HTTP ${response.status}\n${body}${body.endsWith("\n") || body === "" ? "" : "\n"}`);
  const why = explainRefusal({
    status: response.status, body: text, method: upper, path, token: sent, caller, client: values.client,
    route: response.status === 401 || response.status === 403 ? calledRoute(values.config, caller.api?.name, upper, path) : { unknown: "" },
    nowSeconds: Date.now() / 1000,
  });
  if (why !== undefined) io.stderr(`m2m: ${why}\n`);
  return response.ok ? 0 : 1;
}

/** The config's route serving METHOD PATH (on the API called, when known), or why it cannot be told. */
function calledRoute(configFile: string, apiName: string | undefined, method: string, path: string): CalledRoute | { unknown: string } {
  let model;
  try {
    model = loadModel(configFile);
  } catch {
    return { unknown: `${configFile} could not be read` };
  }
  const apis = apiName === undefined ? model.apis : model.apis.filter((a) => a.name === apiName);
  // An exact method before ANY, as API Gateway matches.
  const serving = apis.flatMap((a) => a.routes.filter((r) => routeServes(`${r.method} ${r.path}`, method, path))).sort((a, b) => Number(a.method === "ANY") - Number(b.method === "ANY"));
  const route = serving[0];
  if (route === undefined || new Set(serving.map((r) => r.api)).size > 1) return { unknown: `${configFile} has no single route for it` };
  return { api: route.api, method: route.method, path: route.path, scopes: route.scopes, authorizer: route.authorizer };
}

/**
 * The token endpoint's refusals with the next step: `invalid_client` means the id or secret is
 * not the pool's (mistyped, rotated, or a restarted offline environment), or the client is disabled.
 */
async function withOAuthNextStep<T>(flags: CallerFlags, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!(error instanceof OAuthError) || error.code !== "invalid_client") throw error;
    const check = flags.local
      ? `is the offline environment that wrote ${flags.localFile} still the one running? (restart npm run dev, then retry)`
      : flags.outputs !== undefined || flags.secretId !== undefined
        ? "the secret may have rotated or the client been disabled in this environment: check the secret's current value"
        : "check --client-id and --client-secret (or M2M_CLIENT_ID, M2M_CLIENT_SECRET) against the client's secret";
    throw new CommandFailure(`${error.message}: the token endpoint does not know this client id and secret, or the client is disabled; ${check}`);
  }
}

/**
 * Several APIs and none chosen: the one whose routes serve METHOD PATH (the offline credentials
 * file lists each API's routes; a deployed stack's outputs do not, so the config tells).
 */
function routedCaller(caller: Caller, method: string, path: string, configFile: string): Caller {
  // An API named (--api), the only one, or a URL given (--api-url): nothing to choose.
  if (caller.apiUrl !== undefined || caller.apis.length < 2) return caller;
  const routed = caller.apis.every((a) => a.routes !== undefined)
    ? caller.apis.map((a) => ({ name: a.name ?? "", routes: a.routes! }))
    : loadModel(configFile).apis.map((a) => ({ name: a.name, routes: a.routes.map((r) => `${r.method} ${r.path}`) }));
  const name = apiForRoute(routed, method, path);
  const api = caller.apis.find((a) => a.name === name);
  if (!api) throw new CommandFailure(`${configFile} has API "${name}", which the credential source does not list (it has: ${caller.apis.map((a) => a.name).join(", ")})`);
  return withApi(caller, api, caller.apiUrl);
}

/** A fetch over the caller's TLS files (client certificate, CA), read once; none: the global fetch. */
function fetchOf(caller: Caller): { fetch?: FetchLike } {
  if (caller.tls === undefined) return {};
  const read = (flag: string, file: string | undefined) => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file, "utf8");
    } catch {
      throw new UsageError(`${flag} ${file}: cannot read the file`);
    }
  };
  const material = { ca: read("--ca", caller.tls.ca), cert: read("--cert", caller.tls.cert), key: read("--key", caller.tls.key) };
  return { fetch: tlsFetch(Object.fromEntries(Object.entries(material).filter(([, v]) => v !== undefined))) };
}

/** Turns "fetch failed" into one line naming the host and the reason (exit 1: the command line was fine). */
async function reachable<T>(url: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof TokenClientError || !(error instanceof TypeError)) throw error;
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    throw new CommandFailure(`cannot reach ${new URL(url).origin}${typeof code === "string" ? ` (${code})` : ""}: check the URL and that the API is deployed`);
  }
}

const NOT_RUNNING = "the offline environment is not running; start it with npm run dev";

/**
 * A credentials file outlives an offline environment that was killed: one TCP connect (refused
 * at once when nothing listens) tells the user that, instead of retried ECONNREFUSED.
 */
async function offlineEnvironmentRunning(caller: Pick<Caller, "localFile" | "tokenEndpoint">): Promise<void> {
  if (caller.localFile === undefined) return;
  const { hostname, port } = new URL(caller.tokenEndpoint);
  const listening = await new Promise<boolean>((done) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
  if (!listening) throw new CommandFailure(NOT_RUNNING);
}

/** The target's first API URL, for the "cannot reach" line. */
const firstApiUrl = (target: SmokeTarget) => [...target.apiUrls.values()][0] ?? target.tokenEndpoint;

async function smokeCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, smokeOptions, true, "smoke");
  if (positionals.length > 0) throw new UsageError(`smoke takes no arguments, got "${positionals[0]}"`);
  if (values.local === (values.outputs !== undefined)) throw new UsageError("smoke needs exactly one target: --local, or --outputs FILE --env NAME");
  const model = loadModel(values.config);

  let environment: Environment;
  let target: SmokeTarget;
  // `m2m dev --tls`: the servers' certificates come from the local CA its credentials file names.
  let transport: { fetch?: FetchLike } = {};
  if (values.local) {
    const file = readCredentialsFile(values["local-file"]);
    if (values.env !== undefined && values.env !== file.environment) {
      throw new UsageError(`the offline environment runs "${file.environment}", not "${values.env}" (restart it with m2m dev --env ${values.env})`);
    }
    environment = environmentOf(model, file.environment);
    if (file.caFile !== undefined) transport = { fetch: tlsFetch({ ca: readFileSync(file.caFile, "utf8") }) };
    await offlineEnvironmentRunning({ localFile: values["local-file"], tokenEndpoint: file.tokenEndpoint });
    target = {
      apiUrls: new Map(file.apis.map((a) => [a.name, a.url])),
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
    // A one-API stack's outputs do not name their API: it is the config's only one.
    const apiUrls = new Map(outputs.apis.map((a) => [a.name ?? model.apis[0]!.name, a.invokeUrl]));
    target = { apiUrls, tokenEndpoint: outputs.tokenEndpoint, credentials, cutOffClients };
  }

  const { runSmoke, formatSmokeTable } = smoke();
  const report = await reachable(firstApiUrl(target), () => runSmoke({ model, environment, target, ...transport }));
  io.stdout(`${formatSmokeTable(report)}\n`);
  return report.failed === 0 ? 0 : 1;
}

/**
 * `--backend-url "GET /orders/{id}=http://127.0.0.1:9000/orders/{id}"` -> route -> URL, checked
 * like a config's localUrl. With several APIs a route may be named `orders GET /orders/{id}`,
 * and must be where two APIs have the same route.
 */
function parseBackendUrls(specs: readonly string[], model: ReturnType<typeof loadModel>): Map<string, string> {
  const urls = new Map<string, string>();
  const routes = allRoutes(model);
  const several = model.apis.length > 1;
  const label = (r: Route) => `${several ? `${r.api} ` : ""}${r.method} ${r.path}`;
  for (const spec of specs) {
    const at = spec.indexOf("=");
    if (at < 0) throw new UsageError(`--backend-url takes "${several ? "[API] " : ""}METHOD /path=URL", got "${spec}"`);
    const words = spec.slice(0, at).trim().split(/\s+/);
    const [api, method, path] = words.length === 3 ? words : [undefined, ...words];
    const url = spec.slice(at + 1).trim();
    const matches = routes.filter((r) => r.method === method?.toUpperCase() && r.path === path && (api === undefined || r.api === api));
    if (matches.length > 1) throw new UsageError(`--backend-url: "${spec.slice(0, at).trim()}" is a route of several APIs (${matches.map((r) => r.api).join(", ")}): name one, as "API METHOD /path=URL"`);
    const route = matches[0];
    if (!route) throw new UsageError(`--backend-url: no route "${spec.slice(0, at).trim()}" in the config (routes: ${routes.map(label).join(", ")})`);
    if (route.backend.type !== "http" && route.backend.type !== "lambda-arn") throw new UsageError(`--backend-url: ${route.method} ${route.path} has a ${route.backend.type} backend, which runs here already`);
    const problem = backendUrlProblem(url, true);
    if (problem) throw new UsageError(`--backend-url: ${url} ${problem}`);
    urls.set(offline().backendUrlKey(route), url);
  }
  return urls;
}

async function devCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, devOptions, true, "dev");
  if (positionals.length > 0) throw new UsageError(`dev takes no arguments, got "${positionals[0]}"`);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new UsageError(`--port must be 0-65535 (0 = any free port), got "${values.port}"`);
  const model = loadModel(values.config);
  environmentOf(model, values.env);
  for (const warning of [...configWarnings(model), ...teamFileWarnings(values.config, model)]) io.stderr(`${warningLine("m2m", warning)}\n`);

  const backendUrls = parseBackendUrls(values["backend-url"] ?? [], model);
  const accessLog = values["access-log"];
  // The scope checker logs one JSON line per decision (as in CloudWatch): shown with --access-log only.
  setDecisionLogSink(accessLog ? (record) => io.stderr(`${JSON.stringify(record)}\n`) : () => undefined);
  // Stop requests are taken from here on, before anything exists to clean up: a signal that
  // arrives while starting (or right after the ready line, on a loaded machine) is not the
  // default "terminate now", which would leave the port and the credentials file behind.
  // npm runs scripts through `sh -c`; a shell that does not exec would take npm's SIGTERM and
  // leave this process orphaned, so a changed parent is a stop request too. The handlers stay
  // installed to the end: removing them would restore the default action for a second signal.
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolveStop) => (requestStop = resolveStop));
  for (const signal of STOP_SIGNALS) process.on(signal, requestStop);
  const parent = process.ppid;
  const orphaned = setInterval(() => process.ppid !== parent && requestStop(), 500);
  orphaned.unref();

  let local;
  try {
    local = await offline().startLocalEnvironment({
      model,
      environment: values.env,
      port,
      credentialsFile: resolve(values["local-file"]),
      backendUrls,
      ...(values.tls ? { tls: { ca: offlineCa().createLocalCa(), filesDir: resolve(dirname(values["local-file"]), "tls") } } : {}),
      ...(accessLog ? { onRequest: ({ method, path, status, api }: RequestLogEntry) => io.stderr(`${status} ${method} ${path}${api === undefined ? "" : ` (${api})`}\n`) } : {}),
    });
  } catch (error) {
    clearInterval(orphaned);
    for (const signal of STOP_SIGNALS) process.off(signal, requestStop);
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      // With several APIs the taken port may be one after --port (each API takes the next).
      const taken = (error as { port?: unknown }).port;
      const several = model.layout !== "single-api";
      // The command line is fine, the machine is busy: exit 1, not a usage error.
      throw new CommandFailure(`port ${typeof taken === "number" ? taken : port} is in use (another m2m dev?): choose another with --port${several ? " (each API takes one of the ports after it)" : ""}, or --port 0 for any free port${several ? "s" : ""}`);
    }
    throw error;
  }
  // One line whatever the number of APIs: each API's URL, then the one token endpoint they share.
  const where = model.layout === "single-api" ? `at ${local.apiUrl}` : `with ${local.apis.map((a) => `${a.name} at ${a.url}`).join(", ")}`;
  const tls = values.tls ? `; over TLS, the local CA in ${join(dirname(values["local-file"]), "tls", "ca.pem")}` : "";
  io.stdout(`m2m dev: "${values.env}" ready ${where} (token endpoint ${local.tokenEndpoint}); credentials in ${values["local-file"]}${tls}; Ctrl+C stops\n`);

  await stopRequested;
  clearInterval(orphaned);
  await local.close();
  return 0;
}

async function doctorCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, doctorOptions, true, "doctor");
  if (positionals.length > 0) throw new UsageError(`doctor takes no arguments, got "${positionals[0]}"`);
  const model = loadModel(values.config);
  for (const name of values.env ?? []) environmentOf(model, name);
  const { runDoctor, formatCheck, readyToDeploy } = doctor();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { requiredProviders } = require("../constructs/required-providers") as typeof import("../constructs/required-providers");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { accountConcurrency } = require("./lambda-account") as typeof import("./lambda-account");
  const results = await runDoctor({
    model, env: io.env, ...(values.env === undefined ? {} : { environments: values.env }),
    requiredProviders: (e) => requiredProviders(model, e),
    accountConcurrency,
  });
  io.stdout(results.map((r) => `${formatCheck(r)}\n`).join(""));
  if (readyToDeploy(results)) return EXIT_OK;
  io.stderr(`m2m doctor: ${results.filter((r) => r.status === "fail").length} check(s) failed; fix them before deploying\n`);
  return EXIT_FAILURE;
}

async function secretCommand(args: readonly string[], io: Io): Promise<number> {
  const [action, ...rest] = args;
  if (action !== "rotate") throw new UsageError(`unknown secret command ${action === undefined ? "(none)" : `"${action}"`} (secret rotate; see m2m --help)`);
  const { values, positionals } = parse(rest, secretRotateOptions, true, "secret rotate");
  if (positionals.length > 0) throw new UsageError(`secret rotate takes no arguments, got "${positionals[0]}"`);
  if (values.client === undefined) throw new UsageError("secret rotate needs --client NAME");
  if (values.local === (values.env !== undefined)) throw new UsageError("secret rotate needs exactly one target: --local, or --env NAME");
  if (values.local) {
    const file = readCredentialsFile(values["local-file"]);
    const client = file.clients.find((c) => c.name === values.client);
    if (!client?.secretArn) throw new UsageError(`no client "${values.client}" with a secret in ${values["local-file"]} (it has: ${file.clients.map((c) => c.name).join(", ")})`);
    await rotateClientSecret(client.secretArn, { endpoint: new URL(file.tokenEndpoint).origin, region: client.secretArn.split(":")[3]!, credentials: offline().LOCAL_AWS_CREDENTIALS });
    // Offline rotation has no grace period (local-environment.ts): said here, since deployed rotation differs.
    io.stdout(
      `m2m secret rotate: rotated ${values.client} in the offline "${file.environment}" environment; ${values["local-file"]} holds the new secret, the previous one stays valid until the next rotation, ` +
        "which offline deletes it at once (no grace period; deployed, the next rotation fails unless the current secret is gracePeriodHours old)\n",
    );
    return EXIT_OK;
  }
  const model = loadModel(values.config);
  const environment = environmentOf(model, values.env!);
  const client = environment.clients.find((c) => c.name === values.client);
  if (!client) throw new UsageError(`no client "${values.client}" in environment "${environment.name}" (it has: ${environment.clients.map((c) => c.name).join(", ")})`);
  if (client.disabled) throw new UsageError(`client "${client.name}" is disabled in "${environment.name}": it has no secret to rotate`);
  const secretId = `${model.name}/${environment.name}/${client.name}`;
  const version = await rotateClientSecret(secretId, { region: environment.region });
  io.stdout(`m2m secret rotate: rotation of ${secretId} started (version ${version}); Secrets Manager runs the rotation function now, see its log group for the outcome\n`);
  return EXIT_OK;
}

/** Errors that are the user's to fix: their message is the whole story (exit 1; usage errors exit 2). */
function userFacing(error: unknown): { usage: boolean } | undefined {
  if (error instanceof UsageError) return { usage: true };
  const known =
    error instanceof LocalCredentialsFileError || error instanceof StackOutputsError || error instanceof SecretLookupError ||
    error instanceof TokenClientError || error instanceof offline().UnknownEnvironmentError || error instanceof SecretRotationError;
  return known ? { usage: false } : undefined;
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
      case "doctor":
        return await doctorCommand(rest, io);
      case "secret":
        return await secretCommand(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (token, call, smoke, dev, doctor, secret; see m2m --help)`);
    }
  } catch (error) {
    return reportFailure("m2m", error, io.stderr, { userFacing });
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
