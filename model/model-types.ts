/**
 * The validated, resolved model: every default applied, every reference checked.
 * Everything downstream (constructs, scope checker wiring, local environment, reports)
 * reads this, never the raw config.
 */
import type { CertificateBinding } from "./certificate-binding";
import type { AuthorizerKind, EnvironmentKind, HttpMethod, QuotaPeriod, TokenValidityUnit } from "./config-types";

export interface Throttling {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface Scope {
  readonly name: string;
  readonly description: string;
}

/** A scope a client is granted: the API that defines it and the scope's name there. */
export interface ScopeGrant {
  readonly api: string;
  readonly scope: string;
}

/** An API: its resource server and scopes, its routes, the functions its routes run, its owners. */
export interface Api {
  readonly name: string;
  readonly resourceServerName: string;
  readonly scopes: readonly Scope[];
  readonly routes: readonly Route[];
  /** Functions built from handlers in this repository for this API's routes, one per file and export, in first-use order. */
  readonly backendFunctions: readonly BackendFunction[];
  /** Reviewers of its changes (CODEOWNERS); empty for the one-API form. */
  readonly owners: readonly string[];
  /** The file that defines it, relative to the project root (`apis/orders.m2m.ts`); absent for APIs of the main config. */
  readonly sourceFile?: string;
  /** Its resources were deployed by the one-API form: the stacks move them from those addresses. */
  readonly movedFromSingleApi: boolean;
}

/** An IAM statement a backend function's role gets (explicit actions and resources). */
export interface BackendPermission {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/**
 * A Lambda function built from a handler in this repository. Routes naming the same file and
 * export share it; their settings were checked to agree.
 */
export interface BackendFunction {
  /** The API whose routes run it (each API's functions are its own). */
  readonly api: string;
  /** Stable name part, from the file and export: `payments` for `backends/payments.ts#handler`, `payments-refund` for `#refund`. */
  readonly key: string;
  /** Entry file, relative to the project root, `/`-separated. */
  readonly file: string;
  /** The named export Lambda calls. */
  readonly exportName: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly permissions: readonly BackendPermission[];
  readonly environment: Readonly<Record<string, string>>;
  /** Reserved concurrency by environment name; an environment not named reserves none. */
  readonly reservedConcurrency: Readonly<Record<string, number>>;
}

export type RouteBackend =
  | { readonly type: "mock" }
  /** `functionKey` names one of `M2MModel.backendFunctions`. */
  | { readonly type: "lambda"; readonly functionKey: string }
  | { readonly type: "lambda-arn"; readonly functionArn: string }
  | { readonly type: "http"; readonly url: string; readonly timeoutMs: number; readonly localUrl?: string };

export interface Route {
  /** The API this route belongs to (its scopes are that API's). */
  readonly api: string;
  readonly method: HttpMethod;
  /** Normalized path: leading `/`, no trailing `/` (except the root `/`). */
  readonly path: string;
  readonly scopes: readonly string[];
  readonly authorizer: AuthorizerKind;
  readonly backend: RouteBackend;
  /** The mock integration's answer (meaningful for a mock backend only). */
  readonly response: { readonly status: number; readonly body: unknown };
  readonly description?: string;
  /** Route-specific throttling; the environment's applies otherwise. */
  readonly throttling?: Throttling;
  /** Stable, readable Terraform name part, e.g. `get_orders_id` for `GET /orders/{id}`. */
  readonly key: string;
  /** Only clients bound to a certificate, over a connection presenting it (scope-checker routes only). */
  readonly requireBoundCertificate: boolean;
}

export interface TokenValidity {
  readonly value: number;
  readonly unit: TokenValidityUnit;
}

/** A client's contract in one environment: the usage plan it is metered by. */
export interface UsageLimits {
  /** The usage plan's name part: `tier-<tier>` for a named tier, `client-<client>` for limits of its own. */
  readonly plan: string;
  /** The tier's name, when the limits come from `usageTiers`. */
  readonly tier?: string;
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly quota?: { readonly limit: number; readonly period: QuotaPeriod };
}

/** A client as it exists in one environment (overrides applied). */
export interface Client {
  readonly name: string;
  readonly description?: string;
  /** What it may request, across APIs (its app client's allowed OAuth scopes). */
  readonly scopes: readonly ScopeGrant[];
  /** The API whose team sponsors it. */
  readonly sponsor?: string;
  readonly accessTokenValidity: TokenValidity;
  readonly disabled: boolean;
  /** Rate limit and quota in this environment; absent: unlimited (the stage's throttling only). */
  readonly limits?: UsageLimits;
  /** Days between rotations of its secret; absent: not rotated (always absent for a disabled client). */
  readonly secretRotationDays?: number;
  /** IAM principals allowed to read its secret (and decrypt it), besides the account's own. */
  readonly consumers: readonly string[];
  /** The certificate it must present in this environment (normalized); absent: not bound. */
  readonly certificate?: CertificateBinding;
}

export type Backend =
  | { readonly type: "local"; readonly path: string }
  | {
      readonly type: "s3";
      readonly bucket: string;
      readonly key: string;
      readonly region: string;
      readonly dynamodbTable?: string;
      readonly kmsKeyId?: string;
    };

export interface ScopeCheckerSettings {
  readonly resultTtlSeconds: number;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

export interface Environment {
  readonly name: string;
  readonly region: string;
  readonly domainPrefix: string;
  readonly stageName: string;
  readonly deletionProtection: boolean;
  readonly backend: Backend;
  readonly tags: Readonly<Record<string, string>>;
  /** The clients that exist in this environment, with this environment's overrides applied. */
  readonly clients: readonly Client[];
  readonly kind: EnvironmentKind;
  readonly throttling: Throttling;
  readonly logRetentionDays: number;
  readonly accessLogs: { readonly enabled: boolean; readonly manageAccountRole: boolean };
  readonly waf: { readonly enabled: boolean; readonly rateLimitPer5Minutes: number; readonly tokenEndpointRateLimitPer5Minutes: number };
  /** Empty: no source-IP restriction. */
  readonly allowedSourceIps: readonly string[];
  readonly alarms: { readonly enabled: boolean; readonly emails: readonly string[] };
  readonly scopeCheckerReservedConcurrency?: number;
  /** Seconds a rotated-in secret is current before rotation may delete the one it replaced. */
  readonly secretRotationGraceSeconds: number;
  readonly userPoolTier: "LITE" | "ESSENTIALS" | "PLUS";
  readonly threatProtection: "OFF" | "AUDIT" | "ENFORCED";
  /** Custom domains; absent: the execute-api and Cognito prefix domains. */
  readonly customDomain?: CustomDomain;
  /** Mutual TLS on the API custom domain; absent: off. */
  readonly mtls?: MutualTls;
}

export interface CustomDomain {
  readonly apiDomainName: string;
  readonly hostedZoneId?: string;
  readonly tokenDomainName?: string;
  /** What scope identifiers are keyed to (see CustomDomainInput.scopeIdentifiers). */
  readonly scopeIdentifiers: "invoke-url" | "both" | "custom-domain";
}

export interface MutualTls {
  /** The CA files, relative to the project root, in config order. */
  readonly truststoreFiles: readonly string[];
  /**
   * The truststore as uploaded: each file's certificates re-encoded as PEM by node:crypto, in
   * file order, joined by newlines (deterministic: line endings and whitespace of the files do
   * not matter, so the object's hash changes only when a certificate does).
   */
  readonly truststorePem: string;
}

/**
 * `single-api`: the config's one-API form (`api` + `routes`); Terraform addresses carry no API
 * prefix, as they always did. `multi-api`: the `apis` form; each API's resources are prefixed
 * with its name, so APIs can be added and removed without moving the others.
 */
export type ModelLayout = "single-api" | "multi-api";

export interface M2MModel {
  /** The authorization server's name (the API's in the one-API form): prefixes the user pool and shared resources. */
  readonly name: string;
  readonly layout: ModelLayout;
  /** Owners of the main config and of what no API owns (CODEOWNERS). */
  readonly owners: readonly string[];
  readonly apis: readonly Api[];
  readonly environments: readonly Environment[];
  readonly scopeChecker: ScopeCheckerSettings;
}
