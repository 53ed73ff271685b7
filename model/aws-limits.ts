/**
 * AWS quotas and naming rules the config is checked against before anything is synthesized,
 * so a bad config fails here with a clear message instead of half-way through an apply.
 */
export const QUOTAS = {
  /** Cognito: resource servers per user pool (this program creates one). */
  resourceServersPerPool: 25,
  /** Cognito: custom scopes per resource server. */
  scopesPerResourceServer: 100,
  /** Cognito: scopes an app client may be allowed. */
  scopesPerClient: 50,
  /** Cognito: app clients per user pool. */
  clientsPerPool: 1000,
  /** Lambda: total size of a function's environment variables, in bytes (the scope checker keeps only two small ones there). */
  lambdaEnvironmentBytes: 4096,
  /** API Gateway: usage plans per account and region (adjustable). */
  usagePlansPerRegion: 300,
  /** API Gateway: API keys per account and region (adjustable). */
  apiKeysPerRegion: 10000,
  /** Lambda: a deployment package uploaded directly (Terraform's `filename`), zipped, in bytes. */
  lambdaDirectUploadBytes: 50 * 1024 * 1024,
} as const;

/**
 * The token endpoint's per-IP WAF rate limit, sized from Cognito's client-credentials quota: the
 * quota is about 150 token requests per second per account and region (UserPoolClientCredentials
 * category), i.e. 150 * 300 = 45,000 per 5-minute WAF window. One source address may use a tenth
 * of it (4,500 per 5 minutes, 15/s sustained), so at least ten addresses must misbehave together
 * to exhaust the quota for everyone, while a well-behaved caller (one token per token lifetime,
 * at least 5 minutes, per process) stays far below: 4,500 per window is 4,500 processes behind
 * one NAT address each fetching one token.
 */
export const TOKEN_ENDPOINT_RATE = {
  clientCredentialsRequestsPerSecond: 150,
  wafWindowSeconds: 300,
  shareOfQuotaPerSourceIp: 0.1,
} as const;
export const TOKEN_ENDPOINT_RATE_LIMIT_PER_5_MINUTES = Math.floor(
  TOKEN_ENDPOINT_RATE.clientCredentialsRequestsPerSecond * TOKEN_ENDPOINT_RATE.wafWindowSeconds * TOKEN_ENDPOINT_RATE.shareOfQuotaPerSourceIp,
);

/** Secrets Manager rotation schedule: AutomaticallyAfterDays is 1–1000. */
export const ROTATION_DAYS = { min: 1, max: 1000 } as const;

/** Cognito user pool feature plans, cheapest first; threat protection needs PLUS. */
export const USER_POOL_TIERS = ["LITE", "ESSENTIALS", "PLUS"] as const;

/** Cognito access-token validity bounds, in seconds (5 minutes to 1 day). */
export const ACCESS_TOKEN_VALIDITY = { minSeconds: 5 * 60, maxSeconds: 24 * 60 * 60 } as const;

export const SECONDS_PER_UNIT = { seconds: 1, minutes: 60, hours: 3600, days: 86400 } as const;

/** CloudWatch Logs' allowed retention values, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const NAMING = {
  /** Cognito domain prefix: lowercase letters, digits, hyphens; no leading/trailing hyphen; 1–63. */
  domainPrefix: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
  /** Words Cognito reserves in domain prefixes. */
  domainPrefixReservedWords: ["aws", "amazon", "cognito"],
  /** API Gateway stage name: letters, digits, hyphens, underscores; 1–128. */
  stageName: /^[A-Za-z0-9_-]{1,128}$/,
  /** Cognito scope name: printable ASCII except space, `"`, `/` and `\`; 1–256. */
  scopeName: /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/,
  /** Our rule for client and environment names: they become Terraform addresses and secret names. */
  slug: /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/,
  /** Cognito resource server name. */
  resourceServerName: /^[\w\s+=,.@-]{1,256}$/,
  /** API name (our rule: it prefixes function, role and secret names, which AWS caps at 64). */
  apiName: /^[a-z0-9](?:[a-z0-9-]{0,22}[a-z0-9])?$/,
  /** Environment name (our rule: the stack name, and part of function, role and secret names). */
  environmentName: /^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/,
  /** AWS region code. */
  region: /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/,
  /** A literal path segment: API Gateway's path parts allow only letters, digits, `.`, `_` and `-`. */
  pathLiteral: /^[A-Za-z0-9._-]+$/,
  /** A `{param}` or greedy `{param+}` path segment. */
  pathParameter: /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/,
} as const;
