/**
 * The offline environment: one HTTP server on 127.0.0.1 serving, for one environment of the
 * model, Cognito's token endpoint and JWKS and the API stage behind its authorizers, with each
 * route's backend (mock, a Lambda handler run in-process, or an HTTP service).
 * The resource server identifier is the local API URL, mirroring "identifier = invoke URL".
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { M2MModel } from "../model/model-types";
import { usageMetering } from "../model/usage-plans";
import { createApiEmulator } from "./api-emulator";
import { createAwsJsonApi, type AwsJsonApi } from "./aws-json-api";
import { cognitoSecretsOperations } from "./cognito-secrets-api";
import { createBackendIntegrations } from "./backend-integration";
import { newRestApiId } from "./cognito-ids";
import { removeCredentialsFile, writeCredentialsFile, type LocalCredentialsFile } from "./credentials-file";
import { missingAuthenticationToken } from "./gateway-responses";
import { jsonResponse, type LocalRequest, type LocalResponse } from "./http-types";
import { createNativeAuthorizer } from "./native-authorizer";
import { createScopeCheckerAuthorizer } from "./scope-checker-authorizer";
import { createLocalSecretsManager, type LocalSecretsManager, type RotationEvent } from "./secrets-manager-api";
import { createTokenEndpoint, type TokenEndpointMetrics } from "./token-endpoint";
import { createUsageMeter } from "./usage-meter";
import { createLocalUserPool } from "./user-pool";

export interface LocalEnvironmentOptions {
  readonly model: M2MModel;
  /** Environment name in the model. */
  readonly environment: string;
  /** 0 (default) picks a free port. */
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
  /** URL overrides for HTTP (or lambda-arn) routes, by route key, e.g. a stub on 127.0.0.1. */
  readonly backendUrls?: ReadonlyMap<string, string>;
  /** Where the backends' one-line failure notes go. @default stderr */
  readonly backendLog?: (line: string) => void;
  /** Called once per request with its method, path (no query) and status: never headers or bodies. */
  readonly onRequest?: (entry: { method: string; path: string; status: number }) => void;
}

export interface LocalEnvironment {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `http://127.0.0.1:<port>/<stage>`: also the resource server identifier. */
  readonly apiUrl: string;
  readonly tokenEndpoint: string;
  readonly jwksUrl: string;
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

export async function startLocalEnvironment(options: LocalEnvironmentOptions): Promise<LocalEnvironment> {
  const { model } = options;
  const environment = model.environments.find((e) => e.name === options.environment);
  if (!environment) throw new UnknownEnvironmentError(options.environment, model.environments.map((e) => e.name));

  let dispatch: (request: LocalRequest) => Promise<LocalResponse> = async () => jsonResponse(503, { message: "starting" });
  const server = createServer((req, res) => {
    void (async () => {
      // Split by hand: `new URL` would read a path like `//x` as a host name.
      const rawUrl = req.url ?? "/";
      const queryAt = rawUrl.indexOf("?");
      const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
      let local: LocalResponse;
      try {
        const body = await readBody(req);
        local = await dispatch({
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
      options.onRequest?.({ method: req.method ?? "GET", path, status: local.status });
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${HOST}:${port}`;
  const apiUrl = `${url}/${environment.stageName}`;

  const userPool = createLocalUserPool({ region: environment.region, resourceServerIdentifier: apiUrl, clients: environment.clients });
  const tokenEndpoint = createTokenEndpoint({
    userPool,
    ...(options.accessTokenLifetimeSeconds === undefined ? {} : { accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds }),
  });
  const restApiId = newRestApiId();
  const metering = usageMetering(environment.clients, model.routes);
  const api = createApiEmulator({
    routes: model.routes,
    realm: model.api.name,
    nativeAuthorizer: createNativeAuthorizer(userPool),
    scopeChecker: createScopeCheckerAuthorizer({ userPool, routes: model.routes, restApiId, stageName: environment.stageName }),
    backends: createBackendIntegrations({
      functions: model.backendFunctions,
      restApiId,
      stageName: environment.stageName,
      ...(options.backendUrls === undefined ? {} : { backendUrls: options.backendUrls }),
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
  const tokenEndpointUrl = `${url}/oauth2/token`;
  // Fractional, as AWS's JSON dates are: rotations within one second still order correctly.
  const nowSeconds = () => Date.now() / 1000;
  const secretArns = new Map<string, string>();
  const credentialsOf = (): LocalCredentialsFile => ({
    environment: environment.name,
    tokenEndpoint: tokenEndpointUrl,
    apiUrl,
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
    secretArns.set(c.name, secretsManager.createSecret(`${model.api.name}/${environment.name}/${c.name}`, JSON.stringify(value)));
  }
  const aws = createAwsJsonApi({ ...cognitoSecretsOperations(userPool, nowSeconds), ...secretsManager.operations });
  const jwksPath = `/${userPool.userPoolId}/.well-known/jwks.json`;
  const stagePrefix = `/${environment.stageName}`;

  dispatch = async (request) => {
    const awsAnswer = aws.handle(request);
    if (awsAnswer) return awsAnswer;
    if (request.path === "/oauth2/token") return tokenEndpoint.handle(request);
    if (request.path === jwksPath && (request.method === "GET" || request.method === "HEAD")) return jsonResponse(200, userPool.signingKey.jwks);
    if (request.path === stagePrefix || request.path.startsWith(`${stagePrefix}/`)) {
      return api.handle(request, request.path.slice(stagePrefix.length) || "/");
    }
    return missingAuthenticationToken();
  };

  const credentials = credentialsOf();
  if (options.credentialsFile !== undefined) writeCredentialsFile(options.credentialsFile, credentials);

  let closed: Promise<void> | undefined;
  return {
    url,
    apiUrl,
    tokenEndpoint: credentials.tokenEndpoint,
    jwksUrl: `${url}${jwksPath}`,
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
      closed ??= new Promise<void>((resolve) => {
        if (options.credentialsFile !== undefined) removeCredentialsFile(options.credentialsFile, userPool.userPoolId);
        server.close(() => resolve());
        // Keep-alive connections would hold close() open until they time out.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
