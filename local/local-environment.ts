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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Api, M2MModel, Route } from "../model/model-types";
import { usageMetering } from "../model/usage-plans";
import { createApiEmulator } from "./api-emulator";
import { createAwsJsonApi, type AwsJsonApi } from "./aws-json-api";
import { cognitoSecretsOperations } from "./cognito-secrets-api";
import { createBackendIntegrations } from "./backend-integration";
import { newRestApiId } from "./cognito-ids";
import { removeCredentialsFile, writeCredentialsFile, type LocalApiEndpoint, type LocalCredentialsFile } from "./credentials-file";
import { missingAuthenticationToken } from "./gateway-responses";
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

/** One listening server on 127.0.0.1 whose requests go to `dispatch()` (set once everything exists). */
async function listen(port: number, dispatch: () => Dispatch, onRequest: ((entry: { method: string; path: string; status: number }) => void) | undefined): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
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
        });
      } catch (error) {
        local = error instanceof BodyTooLargeError ? jsonResponse(413, { message: "Request Too Long" }) : jsonResponse(500, { message: "Internal server error" });
        if (!(error instanceof BodyTooLargeError)) process.stderr.write(`m2m local: internal error (${(error as Error).name})\n`);
      }
      send(res, local);
      onRequest?.({ method: req.method ?? "GET", path, status: local.status });
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return { server, url: `http://${HOST}:${(server.address() as AddressInfo).port}` };
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
  try {
    const main = await listen(basePort, () => authDispatch, options.onRequest);
    servers.push(main.server);
    url = main.url;
    for (const [index, api] of model.apis.entries()) {
      if (sharedOrigin) {
        apiOrigins.set(api.name, url);
        continue;
      }
      const own = await listen(basePort === 0 ? 0 : basePort + index + 1, () => apiDispatch.get(api.name) ?? starting, options.onRequest && ((entry) => options.onRequest!({ ...entry, api: api.name })));
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
  const credentialsOf = (): LocalCredentialsFile => ({
    environment: environment.name,
    tokenEndpoint: tokenEndpointUrl,
    apiUrl,
    apis,
    userPoolId: userPool.userPoolId,
    clients: userPool.clients.map((c) => {
      const stored = JSON.parse(secretsManager.currentValue(secretArns.get(c.name)!)) as { clientSecret?: string };
      return { name: c.name, clientId: c.clientId, clientSecret: stored.clientSecret ?? c.clientSecret, scopes: c.scopes, secretArn: secretArns.get(c.name)! };
    }),
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
