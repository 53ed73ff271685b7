/**
 * The description ops engineers edit (`m2m.config.ts`): who may call what.
 * These are the *input* types; `validateConfig` turns them into a resolved {@link M2MModel}
 * (defaults applied, references checked) or reports every problem at once.
 */

/** Units Cognito accepts for token validity. */
export type TokenValidityUnit = "seconds" | "minutes" | "hours" | "days";

export interface TokenValidityInput {
  readonly value: number;
  readonly unit: TokenValidityUnit;
}

export interface ScopeInput {
  /** Scope name; the full scope is `<resource server identifier>/<name>`. Cognito's charset: printable ASCII without space, `"`, `/` or `\`. */
  readonly name: string;
  /** Shown in reports and the OpenAPI document (Cognito requires 1–256 characters). */
  readonly description: string;
}

export interface ApiInput {
  /** 1–24 lowercase letters, digits, hyphens; prefixes the REST API, user pool, function and secret names. */
  readonly name: string;
  /** Display name of the Cognito resource server. */
  readonly resourceServerName: string;
  /** The scopes this API defines (at most 100: Cognito's quota per resource server). */
  readonly scopes: readonly ScopeInput[];
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" | "ANY";

/**
 * Which authorizer guards a route.
 * - `cognito` (default): API Gateway's native COGNITO_USER_POOLS authorizer; the token needs *any* of the route's scopes.
 * - `scope-checker`: the Lambda REQUEST authorizer; the token needs *all* of the route's scopes and its client must be enabled.
 */
export type AuthorizerKind = "cognito" | "scope-checker";

export interface MockResponseInput {
  /** HTTP status the mock integration answers with. @default 200 */
  readonly status?: number;
  /** JSON body the mock integration answers with. @default {} */
  readonly body?: unknown;
}

/** API Gateway throttling: steady requests per second and the burst above it. */
export interface ThrottlingInput {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** One IAM statement a Lambda backend's role gets besides writing its own logs: named actions on named resources. */
export interface BackendPermissionInput {
  /** IAM actions, `service:Action` (no wildcards: least privilege), e.g. `dynamodb:GetItem`. */
  readonly actions: readonly string[];
  /** ARNs the actions apply to (no bare `*`), e.g. `arn:aws:dynamodb:eu-west-1:123456789012:table/payments`. */
  readonly resources: readonly string[];
}

/** Today's behaviour: API Gateway answers by itself with the route's `response`. */
export interface MockBackendInput {
  readonly type: "mock";
}

/**
 * A handler in this repository, bundled by esbuild and deployed as its own Lambda function
 * (Node.js 22, arm64, X-Ray, its own log group), invoked with an `AWS_PROXY` integration.
 * Routes naming the same file and export share one function.
 */
export interface LambdaBackendInput {
  readonly type: "lambda";
  /** `<file>#<export>`, the file relative to the project root, e.g. `backends/payments.ts#handler`. */
  readonly handler: string;
  /** @default 256 */
  readonly memoryMb?: number;
  /** 1–29 s: API Gateway stops waiting after 29 s. @default 10 */
  readonly timeoutSeconds?: number;
  /** What the function may do besides writing its own logs. @default none */
  readonly permissions?: readonly BackendPermissionInput[];
  /** Plain settings for the handler (no secrets: read those from Secrets Manager at run time). */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Reserved (and maximum) concurrency by environment name, 1–1000, e.g. `{ prod: 20 }`: a slow
   * backend then cannot take the account's whole concurrency from the scope checker and the
   * rotation function. Opt-in, like `environments[].scopeChecker.reservedConcurrency`. @default none
   */
  readonly reservedConcurrency?: Readonly<Record<string, number>>;
}

/** A Lambda function that exists already: this program only lets the route's method invoke it. */
export interface LambdaArnBackendInput {
  readonly type: "lambda-arn";
  /** `arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]` */
  readonly functionArn: string;
}

/** An HTTPS service behind an `HTTP_PROXY` integration; the caller's identity arrives as headers. */
export interface HttpBackendInput {
  readonly type: "http";
  /** `https://…`; may use the route's path parameters, e.g. `https://orders.example.com/v1/orders/{id}`. The query string is passed on. */
  readonly url: string;
  /** Integration timeout, 50–29000 ms. @default 29000 */
  readonly timeoutMs?: number;
  /** Where the offline environment sends the request instead (`http://127.0.0.1:<port>/…` allowed). */
  readonly localUrl?: string;
}

export type RouteBackendInput = MockBackendInput | LambdaBackendInput | LambdaArnBackendInput | HttpBackendInput;

export interface RouteInput {
  readonly method: HttpMethod;
  /** API path: `/`-separated literal segments, `{param}` segments, and optionally a final greedy `{proxy+}`. */
  readonly path: string;
  /** Scope names the route requires: any of them (cognito) or all of them (scope-checker). */
  readonly scopes: readonly string[];
  /** @default "cognito" */
  readonly authorizer?: AuthorizerKind;
  /** What serves the route. @default { type: "mock" } */
  readonly backend?: RouteBackendInput;
  /** What the mock integration answers (mock backend only). @default { status: 200, body: {} } */
  readonly response?: MockResponseInput;
  /** One line for reports and the OpenAPI document. */
  readonly description?: string;
  /** Overrides the environment's throttling for this route. */
  readonly throttling?: ThrottlingInput;
  /**
   * Only clients bound to a certificate (`certificate`) may call this route, and only over a
   * connection presenting that certificate (mutual TLS on the environment's custom domain).
   * Checked by the scope checker: the route must use it. @default false
   */
  readonly requireBoundCertificate?: boolean;
}

/** API Gateway usage-plan quota periods. */
export type QuotaPeriod = "DAY" | "WEEK" | "MONTH";

/**
 * A partner's contract, enforced by an API Gateway usage plan: a token bucket per client
 * (`rateLimit` requests per second, `burstLimit` at once) and optionally a number of calls per
 * period. Counted on every route the client can call, so those routes must use the scope
 * checker (only a Lambda authorizer can name the client's usage key).
 */
export interface UsageLimitsInput {
  /** Steady requests per second (at most 10,000: API Gateway's account-level default). */
  readonly rateLimit: number;
  /** Requests at once, the bucket's size (a whole number, at least rateLimit, at most 5,000). */
  readonly burstLimit: number;
  /** Calls per DAY, WEEK or MONTH (calendar periods in UTC, as API Gateway counts them). */
  readonly quota?: { readonly limit: number; readonly period: QuotaPeriod };
}

/** A client's limits: a tier's name (see `usageTiers`), or limits of its own. */
export type ClientLimitsInput = string | UsageLimitsInput;

/**
 * The certificate a client must present on the mutual-TLS connection (in effect a
 * certificate-bound access token, RFC 8705, which Cognito does not issue): the scope checker
 * refuses the client's tokens on any other connection. Subject, SHA-256 fingerprint or both.
 */
export interface ClientCertificateInput {
  /** Subject distinguished name, e.g. `CN=shop.partner.example,O=Partner Ltd` (order and spaces after commas do not matter). */
  readonly subject?: string;
  /** SHA-256 fingerprint of the DER certificate: 64 hex digits, with or without colons (`openssl x509 -fingerprint -sha256`). */
  readonly sha256?: string;
}

/** Settings a client may override in one environment. */
export interface ClientEnvironmentOverride {
  /** Another certificate in this environment. */
  readonly certificate?: ClientCertificateInput;
  readonly accessTokenValidity?: TokenValidityInput;
  readonly disabled?: boolean;
  /** Other limits in this environment; `null` lifts the client's limits there. */
  readonly limits?: ClientLimitsInput | null;
  readonly secretRotation?: ClientSecretRotationInput;
  readonly consumers?: readonly string[];
}

/** A client's rotation schedule, over the environment's. */
export interface ClientSecretRotationInput {
  /** Rotate this client's secret (a disabled client never rotates). @default the environment's */
  readonly enabled?: boolean;
  /** Days between rotations, 1–1000. @default the environment's */
  readonly everyDays?: number;
}

export interface ClientInput {
  /** Lowercase letters, digits and hyphens; names the Cognito app client and its secret. */
  readonly name: string;
  readonly description?: string;
  /**
   * Scopes this client may request (at most 50: Cognito's quota per app client): `<api>:<scope>`,
   * or a scope's name alone when the config has one API or the scope is its sponsor API's.
   */
  readonly scopes: readonly string[];
  /** The API whose team sponsors this client (its owners review it); set for the clients of a team's file. */
  readonly sponsor?: string;
  /** Access-token lifetime, 5 minutes to 1 day. @default { value: 60, unit: "minutes" } */
  readonly accessTokenValidity?: TokenValidityInput;
  /** Environments the client exists in. @default every environment */
  readonly environments?: readonly string[];
  /**
   * Cut the client off: its Cognito app client is deleted (the token endpoint answers
   * invalid_client; re-enabling issues a new id and secret), its secret keeps its name but holds
   * `{"disabled": true}`, and the scope checker refuses its tokens once the change is deployed.
   * Tokens it already holds pass native-authorizer routes until they expire.
   * @default false
   */
  readonly disabled?: boolean;
  /** Rate limit and quota (a tier's name or limits of its own). @default unlimited (the stage's throttling only) */
  readonly limits?: ClientLimitsInput;
  readonly secretRotation?: ClientSecretRotationInput;
  /**
   * IAM principals (role or user ARNs, e.g. a partner's role) that may read this client's secret:
   * a resource policy on the secret, and decrypt through the key policy for that secret only.
   * @default none (principals of the account with IAM permissions only)
   */
  readonly consumers?: readonly string[];
  /** Bind the client to a certificate in every environment it exists in (they need `mtls`). @default not bound */
  readonly certificate?: ClientCertificateInput;
  /** Per-environment overrides, keyed by environment name. */
  readonly overrides?: Readonly<Record<string, ClientEnvironmentOverride>>;
}

export interface LocalBackendInput {
  readonly type: "local";
  /** State file path, relative to the stack directory (`cdktf.out/stacks/<env>`). @default "../../../terraform.<env>.tfstate" */
  readonly path?: string;
}

export interface S3BackendInput {
  readonly type: "s3";
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /** Lock with a DynamoDB table; without it, S3 native locking (`use_lockfile`) is used. */
  readonly dynamodbTable?: string;
  /** KMS key for server-side encryption of the state object (state holds client secrets). */
  readonly kmsKeyId?: string;
}

export type BackendInput = LocalBackendInput | S3BackendInput;

/**
 * `development` keeps an environment cheap and re-creatable (client secrets are deleted at once,
 * without a recovery window); `production` turns on the strict defaults: deletion protection,
 * a secrets recovery window, access logs, WAF, alarms, longer log retention, higher throttling limits.
 */
export type EnvironmentKind = "development" | "production";

export interface AccessLogsInput {
  /** JSON access logs of the stage. @default true in production */
  readonly enabled?: boolean;
  /**
   * Manage the account-level API Gateway CloudWatch role (one per account and region: let only
   * one environment per account and region opt in). Without it, access logs need the role to exist.
   * Managed whether or not this environment's own access logs are on; Terraform may not destroy
   * it (`prevent_destroy`). Turning this off hands it over: the stack forgets the role and the
   * account setting and leaves them in place (README, "Lifecycle").
   * @default false
   */
  readonly manageAccountRole?: boolean;
}

export interface WafInput {
  /** An AWS WAF web ACL on the stage. @default true in production */
  readonly enabled?: boolean;
  /** Requests one source IP may make in 5 minutes before WAF blocks it (at least 10). @default 1000 */
  readonly rateLimitPer5Minutes?: number;
  /**
   * Token requests one source IP may make in 5 minutes before the user pool's web ACL blocks it.
   * @default 4500 (a tenth of Cognito's client-credentials quota of 150/s over 5 minutes)
   */
  readonly tokenEndpointRateLimitPer5Minutes?: number;
}

export interface SecretRotationInput {
  /** Rotate client secrets with Secrets Manager and the rotation function. @default true in production */
  readonly enabled?: boolean;
  /** Days between rotations of each client's secret, 1–1000. @default 30 */
  readonly everyDays?: number;
  /**
   * Hours a new secret must have been current before the next rotation may delete the one it
   * replaced (callers holding the previous value keep working that long at least). Must be
   * shorter than the rotation interval. @default 24
   */
  readonly gracePeriodHours?: number;
}

export interface AlarmsInput {
  /** CloudWatch alarms to an SNS topic. @default true in production */
  readonly enabled?: boolean;
  /** Addresses subscribed to the topic (each must confirm the subscription). */
  readonly emails?: readonly string[];
}

/**
 * Stable names for partners: the APIs at `https://<apiDomainName>/<api name>` (a regional API
 * Gateway custom domain, one base path per API) and the token endpoint at
 * `https://<tokenDomainName>/oauth2/token` (a Cognito custom domain). Scope identifiers are then
 * keyed to the custom domain, so they survive a REST API replacement.
 */
export interface CustomDomainInput {
  /** The APIs' domain, e.g. `api.example.com`; its ACM certificate is validated by DNS. */
  readonly apiDomainName: string;
  /**
   * Route 53 hosted zone of the domains: the certificate validation records and the alias
   * records are created there. @default none (the records to create are stack outputs)
   */
  readonly hostedZoneId?: string;
  /** The token endpoint's domain, e.g. `auth.example.com` (its certificate is issued in us-east-1, as Cognito requires). @default the Cognito prefix domain */
  readonly tokenDomainName?: string;
  /**
   * What scope identifiers are keyed to. `custom-domain`: `https://<apiDomainName>/<api>`.
   * Moving an environment whose identifiers are keyed to the invoke URL takes three deploys
   * (docs/custom-domains-and-mtls.md): `invoke-url` (the domain added, identifiers unchanged),
   * `both` (each API gets a second resource server keyed to the domain; clients are allowed both
   * sets of scopes and routes accept either), then `custom-domain` once every client requests
   * the new scopes (the invoke-URL resource servers are deleted).
   * @default "custom-domain"
   */
  readonly scopeIdentifiers?: "invoke-url" | "both" | "custom-domain";
}

/**
 * Mutual TLS on the API custom domain: callers must present a certificate issued by one of these
 * CAs (the truststore, an S3 object whose version the domain pins), and the default execute-api
 * endpoint is disabled so nobody can go around it.
 */
export interface MutualTlsInput {
  /** PEM files of the trusted CAs, relative to the project root, e.g. `certs/partner-ca.pem`. */
  readonly truststoreFiles: readonly string[];
}

export interface EnvironmentInput {
  /** Stack name: 1–20 lowercase letters, digits, hyphens. */
  readonly name: string;
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /** Cognito domain prefix: the token endpoint is `https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token`. */
  readonly domainPrefix: string;
  /** API Gateway stage name (letters, digits, hyphens, underscores). */
  readonly stageName: string;
  /** Protects the user pool from deletion (Cognito deletion protection and Terraform `prevent_destroy`). @default true in production */
  readonly deletionProtection?: boolean;
  /** Where Terraform keeps state. @default { type: "local" } */
  readonly backend?: BackendInput;
  /** Tags added to every resource (besides Project, Environment and ManagedBy). */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default "development" */
  readonly kind?: EnvironmentKind;
  /** Stage-wide throttling. @default development { rateLimit: 10, burstLimit: 20 }, production { rateLimit: 100, burstLimit: 200 } */
  readonly throttling?: ThrottlingInput;
  /** Retention of every log group of the environment (a CloudWatch value). @default development 14, production 365 */
  readonly logRetentionDays?: number;
  readonly accessLogs?: AccessLogsInput;
  readonly waf?: WafInput;
  /** Source CIDRs allowed to call the API (partners with fixed egress IPs); others are denied by the REST API's resource policy. */
  readonly allowedSourceIps?: readonly string[];
  readonly alarms?: AlarmsInput;
  /**
   * Reserved (and maximum) concurrency of each scope checker of the environment, 1–1000. Opt-in:
   * Lambda keeps 100 executions of the account unreserved and new accounts may have a quota of
   * 10, so a default reservation would fail a fresh account's first deploy. @default none
   */
  readonly scopeChecker?: { readonly reservedConcurrency?: number };
  readonly secretRotation?: SecretRotationInput;
  /** The user pool's feature plan, set explicitly so the plan never drifts. @default "ESSENTIALS" */
  readonly userPoolTier?: "LITE" | "ESSENTIALS" | "PLUS";
  /** Cognito threat protection (advanced security): needs userPoolTier "PLUS". @default "OFF" */
  readonly threatProtection?: "OFF" | "AUDIT" | "ENFORCED";
  /** Custom domains for the APIs and the token endpoint. @default the execute-api and Cognito prefix domains */
  readonly customDomain?: CustomDomainInput;
  /** Mutual TLS on the API custom domain (needs `customDomain`). @default off */
  readonly mtls?: MutualTlsInput;
}

export interface ScopeCheckerInput {
  /** How long API Gateway caches an authorizer result per token, 0–3600 s (0 disables caching). @default 300 */
  readonly resultTtlSeconds?: number;
  /** @default 256 */
  readonly memoryMb?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
}

/** What every config has, whatever its number of APIs. */
interface ConfigCommonInput {
  readonly environments: readonly EnvironmentInput[];
  readonly scopeChecker?: ScopeCheckerInput;
  /** Named contracts clients refer to by name in `limits`, e.g. `{ partner: { rateLimit: 50, burstLimit: 100, quota: { limit: 1_000_000, period: "MONTH" } } }`. */
  readonly usageTiers?: Readonly<Record<string, UsageLimitsInput>>;
}

/** One API: the authorization server is named after it, clients name its scopes without a prefix. */
export interface SingleApiConfigInput extends ConfigCommonInput {
  readonly api: ApiInput;
  readonly routes: readonly RouteInput[];
  readonly clients: readonly ClientInput[];
}

/**
 * An API of a config with several: its resource server, its scopes, its routes, and who owns it.
 * Its own REST API (and stage) keys its resource server; all APIs share the environment's user
 * pool and token endpoint.
 */
export interface ApiDefinitionInput extends ApiInput {
  readonly routes: readonly RouteInput[];
  /**
   * Who must review changes to this API and to the clients it sponsors: GitHub users or teams
   * (`@user`, `@org/team`) or e-mail addresses, written to CODEOWNERS. At least one.
   */
  readonly owners: readonly string[];
  /**
   * This API's resources were deployed by the one-API form (`api` + `routes`) of this config:
   * the stacks carry `moved` blocks from those Terraform addresses to this API's, so the switch
   * to `apis` moves state instead of replacing the REST API (which would change its invoke URL
   * and so every scope). At most one API may say so; remove it after the first apply.
   * @default false
   */
  readonly movedFromSingleApi?: boolean;
}

/** A team's file (`apis/<name>.m2m.ts`): its API and the clients it sponsors. */
export interface TeamApiInput extends ApiDefinitionInput {
  /**
   * Clients this team sponsors (their `sponsor` is this API). A scope name without a prefix is
   * this API's (`read`); another API's scope is `<api>:<scope>`, a cross-team grant its owners review.
   */
  readonly clients?: readonly ClientInput[];
}

/** Several APIs behind one authorization server (one user pool and token endpoint per environment). */
export interface MultiApiConfigInput extends ConfigCommonInput {
  /** The authorization server's name (1–24 lowercase letters, digits, hyphens): prefixes the user pool, secrets and shared resources. */
  readonly name: string;
  /** Owners of this file and of everything not owned by an API's team (CODEOWNERS). */
  readonly owners: readonly string[];
  /** APIs defined in this file. */
  readonly apis?: readonly ApiDefinitionInput[];
  /**
   * A directory, relative to this file, whose `*.m2m.ts` files each default-export one team's
   * API (`defineApi`), loaded in name order and merged with this file.
   */
  readonly apiFiles?: string;
  /** Clients granted scopes as `<api>:<scope>` (a client with a `sponsor` may name that API's scopes alone). */
  readonly clients?: readonly ClientInput[];
}

export type M2MConfigInput = SingleApiConfigInput | MultiApiConfigInput;

/** Identity helper that gives `m2m.config.ts` type checking and editor completion. */
export function defineConfig<C extends M2MConfigInput>(config: C): C {
  return config;
}

/** Identity helper for a team's API file (`apis/<name>.m2m.ts`). */
export function defineApi(api: TeamApiInput): TeamApiInput {
  return api;
}
