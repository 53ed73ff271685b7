/**
 * The offline environment: HTTP servers on 127.0.0.1 serving, for one environment of the model,
 * Cognito's token endpoint, JWKS and OIDC discovery document (one user pool for every API) and each API's stage behind its
 * authorizers, with each route's backend (mock, a Lambda handler run in-process, or an HTTP service).
 * Each API's resource server identifier is its local stage URL, mirroring "identifier = invoke URL".
 *
 * Several APIs: a port per API, not a path prefix per API. Deployed, every API is its own REST
 * API with its own host (`https://<rest-api-id>.execute-api.<region>.amazonaws.com/<stage>`), and
 * the token endpoint is on yet another (the Cognito domain). A port per API keeps that shape: each
 * identifier is `http://127.0.0.1:<port>/<stage>`, origin + stage as the invoke URL is; a route is
 * served at the same path below the stage as deployed; and a request for one API's path on
 * another API's origin meets that API's route table alone (403 Missing Authentication Token), as it
 * would on the other REST API's host. A prefix (`/<api>/<stage>`) would put an API name into every
 * identifier and path where AWS has none, and the emulated gateway would choose the API from the
 * path, which API Gateway never does. The one-API form keeps its single port (token endpoint, JWKS
 * and the stage on one origin), as it always had.
 */
import { X509Certificate } from "node:crypto";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import type { AddressInfo } from "node:net";
import type { Api, Environment, M2MModel, Route } from "../model/model-types";
import { usageMetering } from "../model/usage-plans";
import { createApiEmulator } from "./api-emulator";
import { createAwsJsonApi, type AwsJsonApi } from "./aws-json-api";
import { cognitoSecretsOperations } from "./cognito-secrets-api";
import { createBackendIntegrations } from "./backend-integration";
import { newRestApiId } from "./cognito-ids";
import { removeCredentialsFile, writeCredentialsFile, type LocalApiEndpoint, type LocalCredentialsFile } from "./credentials-file";
import { clientCertificateRequired, missingAuthenticationToken } from "./gateway-responses";
import type { LocalCa } from "./local-ca";
import { jsonResponse, type LocalRequest, type LocalResponse } from "./http-types";
import { discoveryDocument, wellKnownPath } from "./oidc-discovery";
import { createNativeAuthorizer } from "./native-authorizer";
import { createScopeCheckerAuthorizer } from "./scope-checker-authorizer";
import { createLocalSecretsManager, type LocalSecretsManager, type RotationEvent } from "./secrets-manager-api";
import { createTokenEndpoint, type TokenEndpointMetrics } from "./token-endpoint";
import { createUsageMeter } from "./usage-meter";
import { createLocalUserPool, type LocalUserPoolOptions } from "./user-pool";

export interface LocalEnvironmentOptions {
  readonly model: M2MModel;
  /** Environment name in the model. */
  readonly environment: string;
  /**
   * The token endpoint's port (and the API's, in the one-API form); 0 (default) picks a free one.
   * With several APIs each API has its own port: `port + 1`, `port + 2`, ... in config order, or
   * free ones when `port` is 0.
   */
  readonly port?: number;
  /** Where to write the credentials file (mode 0600); nothing is written when absent. */
  readonly credentialsFile?: string;
  /** Overrides every client's access-token validity, for tests of expiry. */
  readonly accessTokenLifetimeSeconds?: number;
  /** The usage plans' clock (throttle refill, quota periods), for tests. @default Date.now */
  readonly now?: () => number;
  /**
   * Seconds a rotated-in secret must have been current before rotation deletes the one it
   * replaced. @default 0 (offline, every rotation may delete the secret two generations back)
   */
  readonly rotationGraceSeconds?: number;
  /** URL overrides for HTTP (or lambda-arn) routes, by `backendUrlKey(route)`, e.g. a stub on 127.0.0.1. */
  readonly backendUrls?: ReadonlyMap<string, string>;
  /** Where the backends' one-line failure notes go. @default stderr */
  readonly backendLog?: (line: string) => void;
  /** Called once per request with its method, path (no query), status and, on an API's own port, that API: never headers or bodies. */
  readonly onRequest?: (entry: RequestLogEntry) => void;
  /** Given app client ids and secrets by client name (e.g. a deployed stack's), instead of fresh ones. */
  readonly clientCredentials?: LocalUserPoolOptions["clientCredentials"];
  /**
   * Serve over HTTPS with a certificate for 127.0.0.1 and localhost from this CA, and where the
   * environment has `mtls`, mutual TLS on the APIs: a client certificate from the truststore (or
   * this CA) is asked for, handed to the scope checker as API Gateway does, and required.
   * `filesDir`: where the CA's certificate and, for each client bound to a certificate subject,
   * a certificate with that subject are written (listed in the credentials file).
   */
  readonly tls?: { readonly ca: LocalCa; readonly filesDir?: string };
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The API whose port took the request (several APIs only). */
  readonly api?: string;
}

/** What keys a route in `backendUrls`: route keys are unique within an API, not across APIs. */
export function backendUrlKey(route: Pick<Route, "api" | "key">): string {
  return `${route.api}:${route.key}`;
}

export interface LocalEnvironment {
  /** `http://127.0.0.1:<port>`: the token endpoint's origin (the authorization server). */
  readonly url: string;
  /** The first API's `http://127.0.0.1:<port>/<stage>` (the only one's in the one-API form): also its resource server identifier. */
  readonly apiUrl: string;
  /** Every API's stage URL (= its resource server identifier), in config order. */
  readonly apis: readonly LocalApiEndpoint[];
  /** One API's stage URL; throws for a name the model does not have. */
  apiUrlOf(api: string): string;
  readonly tokenEndpoint: string;
  readonly jwksUrl: string;
  /** The tokens' `iss`: `<url>/<pool id>`, below which discovery and the keys are served as Cognito serves them. */
  readonly issuer: string;
  readonly userPoolId: string;
  /** What the credentials file holds (whether or not one was written). */
  readonly credentials: LocalCredentialsFile;
  readonly metrics: TokenEndpointMetrics;
  /**
   * Where the AWS SDK reaches the offline Cognito client-secret operations and Secrets Manager
   * (`endpoint` of its clients): the environment's own URL.
   */
  readonly awsEndpoint: string;
  /** Over TLS: the local CA's certificate (PEM), which callers trust. */
  readonly caCertPem?: string;
  /** Over TLS: the certificate the offline stage presents to https backends (PEM), which they pin. */
  readonly gatewayClientCertificatePem?: string;
  /** The emulated AWS APIs: call counts, and faults tests inject. */
  readonly aws: AwsJsonApi;
  /** The offline Secrets Manager (tests start a rotation step by step with `beginRotation`). */
  readonly secretsManager: LocalSecretsManager;
  /** Each client's credentials secret ARN in the offline Secrets Manager, by client name. */
  readonly secretArns: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

/** What the offline AWS endpoint accepts (it checks no signature, but the SDK must sign something). */
export const LOCAL_AWS_CREDENTIALS = { accessKeyId: "offline", secretAccessKey: "offline" } as const;

export class UnknownEnvironmentError extends Error {
  constructor(readonly environment: string, readonly known: readonly string[]) {
    super(`unknown environment "${environment}" (the config defines: ${known.join(", ")})`);
    this.name = "UnknownEnvironmentError";
  }
}

const MAX_BODY_BYTES = 1024 * 1024;
const HOST = "127.0.0.1";

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, local: LocalResponse): void {
  response.writeHead(local.status, { ...local.headers, "content-length": Buffer.byteLength(local.body) });
  response.end(local.body);
}

type Dispatch = (request: LocalRequest) => Promise<LocalResponse>;

/** HTTPS settings of a server: its certificate, and the CAs whose client certificates it asks for. */
interface ServerTls {
  readonly cert: string;
  readonly key: string;
  /** Ask for a client certificate from these CAs (mutual TLS); absent: none asked for. */
  readonly clientCas?: string;
}

/** The client certificate of a mutual-TLS connection, when it chains to the server's CAs. */
function trustedClientCertificate(req: IncomingMessage): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  if (socket.authorized !== true || typeof socket.getPeerCertificate !== "function") return undefined;
  const raw = socket.getPeerCertificate().raw;
  return raw ? new X509Certificate(raw).toString() : undefined;
}

/** One listening server on 127.0.0.1 whose requests go to `dispatch()` (set once everything exists). */
async function listen(port: number, dispatch: () => Dispatch, onRequest: ((entry: { method: string; path: string; status: number }) => void) | undefined, tls?: ServerTls): Promise<{ server: Server; url: string }> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      // Split by hand: `new URL` would read a path like `//x` as a host name.
      const rawUrl = req.url ?? "/";
      const queryAt = rawUrl.indexOf("?");
      const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
      let local: LocalResponse;
      try {
        const body = await readBody(req);
        local = await dispatch()({
          method: (req.method ?? "GET").toUpperCase(),
          path,
          query: new URLSearchParams(queryAt < 0 ? "" : rawUrl.slice(queryAt + 1)),
          headers: req.headers,
          rawHeaders: req.rawHeaders,
          body,
          sourceIp: req.socket.remoteAddress ?? HOST,
          ...(tls?.clientCas === undefined ? {} : { clientCertPem: trustedClientCertificate(req) }),
        });
      } catch (error) {
        local = error instanceof BodyTooLargeError ? jsonResponse(413, { message: "Request Too Long" }) : jsonResponse(500, { message: "Internal server error" });
        if (!(error instanceof BodyTooLargeError)) process.stderr.write(`m2m local: internal error (${(error as Error).name})\n`);
      }
      send(res, local);
      onRequest?.({ method: req.method ?? "GET", path, status: local.status });
    })();
  };
  // Mutual TLS: a certificate is asked for but the handshake never fails on it, so a call
  // without one gets an answer that says so (rejectUnauthorized: false; `authorized` tells).
  const server: Server = tls
    ? (createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: "TLSv1.2", ...(tls.clientCas === undefined ? {} : { requestCert: true, rejectUnauthorized: false, ca: tls.clientCas }) }, handler) as unknown as Server)
    : createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return { server, url: `${tls ? "https" : "http"}://${HOST}:${(server.address() as AddressInfo).port}` };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open until they time out.
    server.closeAllConnections();
  });
}

/** One API's share of the URL overrides, by route key (what its backend integrations look up). */
function backendUrlsOf(api: Api, urls: ReadonlyMap<string, string>): Map<string, string> {
  const own = new Map<string, string>();
  for (const route of api.routes) {
    const url = urls.get(backendUrlKey(route));
    if (url !== undefined) own.set(route.key, url);
  }
  return own;
}

/** A private file (0600), whatever the umask. */
function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The local CA's certificate and, per client bound to a certificate subject, a certificate with
 * that subject and its key: what `m2m call --local` presents for that client. A binding by
 * fingerprint alone cannot be met by a certificate made here: that client brings its own.
 */
function writeTlsFiles(ca: LocalCa, dir: string, clients: readonly Environment["clients"][number][], gateway: { certPem: string } | undefined): { caFile: string; clients: Map<string, { certFile: string; keyFile: string }> } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, ca.certPem);
  // What an https backend pins (backends/gateway-certificate.ts), as it pins the stack's output.
  if (gateway) writeFileSync(join(dir, "gateway-client-certificate.pem"), gateway.certPem);
  const files = new Map<string, { certFile: string; keyFile: string }>();
  for (const client of clients) {
    const subject = client.certificate?.subject;
    if (subject === undefined || client.certificate?.sha256 !== undefined) continue;
    let issued: { certPem: string; keyPem: string };
    try {
      issued = ca.issue({ subject: subjectAttributes(subject), usage: "client" });
    } catch {
      continue; // an attribute the local CA does not write: the client brings its own certificate
    }
    const certFile = join(dir, `${client.name}.pem`);
    const keyFile = join(dir, `${client.name}.key`);
    writeFileSync(certFile, issued.certPem);
    writePrivate(keyFile, issued.keyPem);
    files.set(client.name, { certFile, keyFile });
  }
  return { caFile, clients: files };
}

/** `CN=a,O=b` (normalized) -> `{ CN: "a", O: "b" }`, in RFC 2253's reverse order (most significant first). */
function subjectAttributes(subject: string): Record<string, string> {
  const pairs = subject.split(",").map((part) => [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)] as const);
  const order = ["C", "ST", "L", "O", "OU", "CN"];
  return Object.fromEntries([...pairs].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])));
}

/** `METHOD /path` of each route: what the credentials file lists per API. */
const routeLines = (api: Api) => api.routes.map((r) => `${r.method} ${r.path}`);

export async function startLocalEnvironment(options: LocalEnvironmentOptions): Promise<LocalEnvironment> {
  const { model } = options;
  const environment = model.environments.find((e) => e.name === options.environment);
  if (!environment) throw new UnknownEnvironmentError(options.environment, model.environments.map((e) => e.name));

  const starting: Dispatch = async () => jsonResponse(503, { message: "starting" });
  const basePort = options.port ?? 0;
  // The one-API form serves its stage on the token endpoint's origin, as it always did.
  const sharedOrigin = model.layout === "single-api";
  let authDispatch = starting;
  const apiDispatch = new Map<string, Dispatch>();
  const servers: Server[] = [];
  const apiOrigins = new Map<string, string>();
  let url: string;
  // What the stage presents to HTTP backends (API Gateway's client certificate), offline.
  const gatewayCertificate = options.tls?.ca.issue({ subject: { CN: "API Gateway client certificate (offline)", O: "cognito-m2m offline" }, usage: "client" });
  const serverCertificate = options.tls?.ca.issue({ subject: { CN: "127.0.0.1" }, usage: "server", dnsNames: ["localhost"], ipAddresses: [HOST] });
  // The APIs ask for a client certificate where the environment has mutual TLS: the config's
  // truststore, plus the local CA (which issues the offline clients' certificates).
  const clientCas = options.tls && environment.mtls ? `${environment.mtls.truststorePem}${options.tls.ca.certPem}` : undefined;
  const tlsOf = (api: boolean): ServerTls | undefined =>
    serverCertificate && { cert: serverCertificate.certPem, key: serverCertificate.keyPem, ...(api && clientCas !== undefined ? { clientCas } : {}) };
  try {
    // In the one-API form the token endpoint shares the API's origin, so its server asks too (the token endpoint ignores the certificate).
    const main = await listen(basePort, () => authDispatch, options.onRequest, tlsOf(sharedOrigin));
    servers.push(main.server);
    url = main.url;
    for (const [index, api] of model.apis.entries()) {
      if (sharedOrigin) {
        apiOrigins.set(api.name, url);
        continue;
      }
      const own = await listen(basePort === 0 ? 0 : basePort + index + 1, () => apiDispatch.get(api.name) ?? starting, options.onRequest && ((entry) => options.onRequest!({ ...entry, api: api.name })), tlsOf(true));
      servers.push(own.server);
      apiOrigins.set(api.name, own.url);
    }
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }
  const stagePrefix = `/${environment.stageName}`;
  const apis: LocalApiEndpoint[] = model.apis.map((api) => ({ name: api.name, url: `${apiOrigins.get(api.name)!}${stagePrefix}`, routes: routeLines(api) }));
  const identifiers = new Map(apis.map((a) => [a.name, a.url]));
  const apiUrl = apis[0]!.url;

  // The issuer is this server's URL + /<pool id>, where discovery and the keys are served (oidc-discovery.ts).
  const userPool = createLocalUserPool({
    region: environment.region, resourceServerIdentifiers: identifiers, clients: environment.clients, authorizationServerUrl: url,
    ...(options.clientCredentials ? { clientCredentials: options.clientCredentials } : {}),
  });
  const tokenEndpoint = createTokenEndpoint({
    userPool,
    ...(options.accessTokenLifetimeSeconds === undefined ? {} : { accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds }),
  });
  // Each API as deployed: its own REST API (id), authorizers keyed to its resource server, backends and usage plans.
  const emulators = new Map(
    model.apis.map((api) => {
      const restApiId = newRestApiId();
      const resourceServerIdentifier = identifiers.get(api.name)!;
      // Usage plans are metered per API here (each REST API's stage its own plans and counters).
      // Should the stacks attach one plan to several APIs' stages, a quota is shared across them
      // and this meter must then span those APIs.
      const metering = usageMetering(environment.clients, api.routes);
      const emulator = createApiEmulator({
        routes: api.routes,
        realm: api.name,
        nativeAuthorizer: createNativeAuthorizer(userPool, resourceServerIdentifier),
        scopeChecker: createScopeCheckerAuthorizer({ userPool, resourceServerIdentifier, routes: api.routes, restApiId, stageName: environment.stageName }),
        backends: createBackendIntegrations({
          functions: api.backendFunctions,
          restApiId,
          stageName: environment.stageName,
          ...(options.backendUrls === undefined ? {} : { backendUrls: backendUrlsOf(api, options.backendUrls) }),
          ...(options.backendLog === undefined ? {} : { log: options.backendLog }),
          ...(gatewayCertificate ? { clientCertificate: { ...gatewayCertificate, ca: options.tls!.ca.certPem } } : {}),
        }),
        ...(metering.plans.length > 0
          ? {
              metering: {
                routes: new Set(metering.meteredRoutes.map((r) => r.key)),
                meter: createUsageMeter({ plans: metering.plans, clientIdOf: (name) => userPool.clients.find((c) => c.name === name)?.clientId, ...(options.now ? { now: options.now } : {}) }),
              },
            }
          : {}),
      });
      return [api.name, emulator] as const;
    }),
  );
  const tokenEndpointUrl = `${url}/oauth2/token`;
  // Fractional, as AWS's JSON dates are: rotations within one second still order correctly.
  const nowSeconds = () => Date.now() / 1000;
  const secretArns = new Map<string, string>();
  const tlsFiles = options.tls?.filesDir === undefined ? undefined : writeTlsFiles(options.tls.ca, options.tls.filesDir, environment.clients, gatewayCertificate);
  const credentialsOf = (): LocalCredentialsFile => ({
    environment: environment.name,
    tokenEndpoint: tokenEndpointUrl,
    apiUrl,
    apis,
    userPoolId: userPool.userPoolId,
    clients: userPool.clients.map((c) => {
      const stored = JSON.parse(secretsManager.currentValue(secretArns.get(c.name)!)) as { clientSecret?: string };
      const certificate = tlsFiles?.clients.get(c.name);
      return { name: c.name, clientId: c.clientId, clientSecret: stored.clientSecret ?? c.clientSecret, scopes: c.scopes, secretArn: secretArns.get(c.name)!, ...certificate };
    }),
    ...(tlsFiles ? { caFile: tlsFiles.caFile } : {}),
  });
  // Rotation runs the deployed rotation function's own code, its SDK clients pointed back here.
  // Imported on first use: `m2m dev` without a rotation never loads the AWS SDK.
  let rotate: ((event: RotationEvent) => Promise<void>) | undefined;
  const secretsManager = createLocalSecretsManager({
    region: environment.region,
    nowSeconds,
    rotationFunction: async (event) => {
      if (!rotate) {
        /* eslint-disable @typescript-eslint/no-require-imports */
        const { createRotationHandler, contextFromEnvironment } = require("../lambdas/secret-rotation/handler") as typeof import("../lambdas/secret-rotation/handler");
        const { CognitoIdentityProviderClient } = require("@aws-sdk/client-cognito-identity-provider") as typeof import("@aws-sdk/client-cognito-identity-provider");
        const { SecretsManagerClient } = require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
        /* eslint-enable @typescript-eslint/no-require-imports */
        const sdk = { endpoint: url, region: environment.region, credentials: LOCAL_AWS_CREDENTIALS };
        rotate = createRotationHandler(
          contextFromEnvironment(
            { USER_POOL_ID: userPool.userPoolId, TOKEN_ENDPOINT: tokenEndpointUrl, GRACE_PERIOD_SECONDS: String(options.rotationGraceSeconds ?? 0) },
            { cognito: new CognitoIdentityProviderClient(sdk), secretsManager: new SecretsManagerClient(sdk), log: () => undefined, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))) },
          ),
        );
      }
      await rotate(event);
    },
    onRotated: () => {
      if (options.credentialsFile !== undefined) writeCredentialsFile(options.credentialsFile, credentialsOf());
    },
  });
  for (const c of userPool.clients) {
    const value = c.disabled
      ? { disabled: true, tokenEndpoint: tokenEndpointUrl }
      : { clientId: c.clientId, clientSecret: c.clientSecret, tokenEndpoint: tokenEndpointUrl, scopes: c.scopes };
    secretArns.set(c.name, secretsManager.createSecret(`${model.name}/${environment.name}/${c.name}`, JSON.stringify(value)));
  }
  const aws = createAwsJsonApi({ ...cognitoSecretsOperations(userPool, nowSeconds), ...secretsManager.operations });
  const jwksPath = wellKnownPath(userPool.issuer, "jwks.json");
  const discoveryPath = wellKnownPath(userPool.issuer, "openid-configuration");
  const discovery = discoveryDocument(userPool.issuer, tokenEndpointUrl);

  /** One API's stage: below it, that API's routes alone; anything else is API Gateway's 403. */
  const stageOf = (api: string): Dispatch => async (request) => {
    if (request.path === stagePrefix || request.path.startsWith(`${stagePrefix}/`)) {
      if (clientCas !== undefined && request.clientCertPem === undefined) return clientCertificateRequired();
      return emulators.get(api)!.handle(request, request.path.slice(stagePrefix.length) || "/");
    }
    return missingAuthenticationToken();
  };
  const onlyApi = sharedOrigin ? stageOf(model.apis[0]!.name) : undefined;
  authDispatch = async (request) => {
    const awsAnswer = aws.handle(request);
    if (awsAnswer) return awsAnswer;
    if (request.path === "/oauth2/token") return tokenEndpoint.handle(request);
    const read = request.method === "GET" || request.method === "HEAD";
    if (request.path === jwksPath && read) return jsonResponse(200, userPool.signingKey.jwks);
    if (request.path === discoveryPath && read) return jsonResponse(200, discovery);
    return onlyApi ? onlyApi(request) : missingAuthenticationToken();
  };
  if (!sharedOrigin) for (const api of model.apis) apiDispatch.set(api.name, stageOf(api.name));

  const credentials = credentialsOf();
  if (options.credentialsFile !== undefined) writeCredentialsFile(options.credentialsFile, credentials);

  let closed: Promise<void> | undefined;
  return {
    url,
    apiUrl,
    apis,
    apiUrlOf(name) {
      const url = identifiers.get(name);
      if (url === undefined) throw new Error(`no API named ${name} (the environment serves ${apis.map((a) => a.name).join(", ")})`);
      return url;
    },
    tokenEndpoint: credentials.tokenEndpoint,
    jwksUrl: `${url}${jwksPath}`,
    issuer: userPool.issuer,
    userPoolId: userPool.userPoolId,
    get credentials() {
      return credentialsOf();
    },
    get metrics() {
      return tokenEndpoint.metrics;
    },
    awsEndpoint: url,
    ...(options.tls ? { caCertPem: options.tls.ca.certPem, gatewayClientCertificatePem: gatewayCertificate!.certPem } : {}),
    aws,
    secretsManager,
    secretArns,
    close() {
      if (closed === undefined) {
        if (options.credentialsFile !== undefined) removeCredentialsFile(options.credentialsFile, userPool.userPoolId);
        closed = Promise.all(servers.map(closeServer)).then(() => undefined);
      }
      return closed;
    },
  };
}
