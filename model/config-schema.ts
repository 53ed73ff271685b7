/**
 * The shape of the config, as a zod schema: types, required fields, allowed values, formats
 * and ranges. Rules that relate one field to another live in `cross-checks.ts`.
 */
import { z } from "zod";
import { LOG_RETENTION_DAYS, NAMING, ROTATION_DAYS, USER_POOL_TIERS } from "./aws-limits";
import { INTEGRATION_TIMEOUT_MAX_MS, INTEGRATION_TIMEOUT_MIN_MS, LAMBDA_FUNCTION_ARN } from "./backends";
import { isCidr } from "./cidr";

const slug = () =>
  z.string().regex(NAMING.slug, { error: `must be 1–64 lowercase letters, digits or hyphens, not starting or ending with a hyphen` });

const tokenValidity = z.strictObject({
  value: z.number().int({ error: "must be a whole number" }).positive({ error: "must be positive" }),
  unit: z.enum(["seconds", "minutes", "hours", "days"]),
});

const throttling = z.strictObject({
  rateLimit: z.number().positive({ error: "must be positive (requests per second)" }).max(10000, { error: "must be at most 10000 (API Gateway's account limit)" }),
  burstLimit: z.number().int({ error: "must be a whole number" }).positive({ error: "must be positive" }).max(5000, { error: "must be at most 5000 (API Gateway's account limit)" }),
});

/** API Gateway usage-plan limits; burst >= rate and the route checks are in cross-checks.ts. */
const usageLimits = z.strictObject({
  rateLimit: throttling.shape.rateLimit,
  burstLimit: throttling.shape.burstLimit,
  quota: z
    .strictObject({
      limit: z.number().int({ error: "must be a whole number" }).positive({ error: "must be positive" }).max(2_147_483_647, { error: "must be at most 2147483647 (API Gateway's largest quota)" }),
      period: z.enum(["DAY", "WEEK", "MONTH"]),
    })
    .optional(),
});
const tierName = () => z.string().regex(NAMING.slug, { error: "must name a tier: 1–64 lowercase letters, digits or hyphens" });
const clientLimits = z.union([tierName(), usageLimits]);

/** A fully qualified domain name of at least two labels, lowercase (what ACM and API Gateway accept). */
const dnsName = () =>
  z.string().regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, {
    error: "must be a lowercase domain name such as api.example.com",
  });

const retentionDays = z
  .number()
  .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), { error: `must be one of CloudWatch's retention values (${LOG_RETENTION_DAYS.join(", ")})` });

const cidr = z.string().refine((v) => isCidr(v), { error: "must be an IPv4 or IPv6 CIDR such as 203.0.113.0/24" });

const scope = z.strictObject({
  name: z.string().regex(NAMING.scopeName, {
    error: 'must be 1–256 printable ASCII characters without space, ", / or \\ (Cognito scope name)',
  }),
  description: z.string().min(1, { error: "must not be empty" }).max(256, { error: "must be at most 256 characters" }),
});

const api = z.strictObject({
  name: z.string().regex(NAMING.apiName, { error: "must be 1–24 lowercase letters, digits or hyphens, not starting or ending with a hyphen" }),
  resourceServerName: z.string().regex(NAMING.resourceServerName, {
    error: "must be 1–256 letters, digits, spaces or + = , . @ - (Cognito resource server name)",
  }),
  scopes: z.array(scope).min(1, { error: "must define at least one scope" }),
});

const backendPermission = z.strictObject({
  actions: z
    .array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, { error: "must be one IAM action such as dynamodb:GetItem (no wildcards: least privilege)" }))
    .min(1, { error: "must name at least one action" }),
  resources: z
    .array(z.string().regex(/^arn:aws(?:-[a-z]+)*:[a-z0-9-]+:/, { error: "must be an ARN (not a bare *: least privilege)" }))
    .min(1, { error: "must name at least one resource ARN" }),
});

/**
 * A function's reserved concurrency: opt-in, 1 to 1,000. 0 would stop the function; more than the
 * account can spare fails the deploy (Lambda keeps 100 unreserved; `m2m doctor` reads the account).
 */
function reservedConcurrency(what: string) {
  return z
    .number()
    .int({ error: "must be a whole number" })
    .min(1, { error: `must be at least 1 (0 would stop ${what}; leave it out to reserve nothing)` })
    .max(1000, { error: "must be at most 1000 (Lambda's default account quota; the account keeps 100 unreserved)" });
}

const routeBackend = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("mock") }),
  z.strictObject({
    type: z.literal("lambda"),
    handler: z.string(),
    memoryMb: z.number().int({ error: "must be a whole number" }).min(128, { error: "must be from 128 to 10240 MB" }).max(10240, { error: "must be from 128 to 10240 MB" }).optional(),
    timeoutSeconds: z
      .number()
      .int({ error: "must be a whole number" })
      .min(1, { error: "must be from 1 to 29 seconds (API Gateway stops waiting after 29 s)" })
      .max(29, { error: "must be from 1 to 29 seconds (API Gateway stops waiting after 29 s)" })
      .optional(),
    permissions: z.array(backendPermission).optional(),
    environment: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: "must be a letter then letters, digits or underscores (Lambda environment variable name)" }), z.string()).optional(),
    reservedConcurrency: z.record(z.string(), reservedConcurrency("the function")).optional(),
  }),
  z.strictObject({
    type: z.literal("lambda-arn"),
    functionArn: z.string().regex(LAMBDA_FUNCTION_ARN, { error: "must be a Lambda function ARN, arn:aws:lambda:<region>:<12-digit account>:function:<name>[:<alias or version>]" }),
  }),
  z.strictObject({
    type: z.literal("http"),
    url: z.string(),
    timeoutMs: z
      .number()
      .int({ error: "must be a whole number" })
      .min(INTEGRATION_TIMEOUT_MIN_MS, { error: `must be from ${INTEGRATION_TIMEOUT_MIN_MS} to ${INTEGRATION_TIMEOUT_MAX_MS} ms (API Gateway's integration timeout)` })
      .max(INTEGRATION_TIMEOUT_MAX_MS, { error: `must be from ${INTEGRATION_TIMEOUT_MIN_MS} to ${INTEGRATION_TIMEOUT_MAX_MS} ms (API Gateway's integration timeout)` })
      .optional(),
    localUrl: z.string().optional(),
  }),
]);

const route = z.strictObject({
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]),
  path: z.string(),
  scopes: z.array(z.string()).min(1, { error: "must require at least one scope (a route without scopes would accept only ID tokens)" }),
  authorizer: z.enum(["cognito", "scope-checker"]).optional(),
  backend: routeBackend.optional(),
  response: z
    .strictObject({
      status: z.number().int({ error: "must be a whole number" }).min(200, { error: "must be an HTTP status from 200 to 599" }).max(599, { error: "must be an HTTP status from 200 to 599" }).optional(),
      body: z.unknown().optional(),
    })
    .optional(),
  description: z.string().max(500, { error: "must be at most 500 characters" }).optional(),
  throttling: throttling.optional(),
  requireBoundCertificate: z.boolean().optional(),
});

const rotationDays = z
  .number()
  .int({ error: "must be a whole number of days" })
  .min(ROTATION_DAYS.min, { error: `must be from ${ROTATION_DAYS.min} to ${ROTATION_DAYS.max} days (Secrets Manager's rotation schedule)` })
  .max(ROTATION_DAYS.max, { error: `must be from ${ROTATION_DAYS.min} to ${ROTATION_DAYS.max} days (Secrets Manager's rotation schedule)` });

const clientSecretRotation = z.strictObject({ enabled: z.boolean().optional(), everyDays: rotationDays.optional() });

/** An IAM role or user of some account: the principals a key policy and a secret policy can name. */
const consumer = z.string().regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/, {
  error: "must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/partner",
});
const consumers = z.array(consumer).min(1, { error: "must list at least one principal (omit it for none)" });

const clientCertificate = z
  .strictObject({
    subject: z.string().regex(/^[^=,]+=[^,]*(,\s*[^=,]+=[^,]*)*$/, { error: "must be a distinguished name such as CN=shop.partner.example,O=Partner Ltd" }).optional(),
    sha256: z.string().regex(/^(?:[0-9A-Fa-f]{64}|[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31})$/, { error: "must be a SHA-256 fingerprint: 64 hex digits, with or without colons" }).optional(),
  })
  .refine((c) => c.subject !== undefined || c.sha256 !== undefined, { error: "must name the subject, the sha256 fingerprint or both" });

const clientOverride = z.strictObject({
  certificate: clientCertificate.optional(),
  accessTokenValidity: tokenValidity.optional(),
  disabled: z.boolean().optional(),
  limits: clientLimits.nullable().optional(),
  secretRotation: clientSecretRotation.optional(),
  consumers: consumers.optional(),
});

const client = z.strictObject({
  name: slug(),
  description: z.string().max(500, { error: "must be at most 500 characters" }).optional(),
  scopes: z.array(z.string()).min(1, { error: "must allow at least one scope (client credentials needs a custom scope)" }),
  accessTokenValidity: tokenValidity.optional(),
  environments: z.array(z.string()).min(1, { error: "must name at least one environment (omit it for all)" }).optional(),
  disabled: z.boolean().optional(),
  limits: clientLimits.optional(),
  secretRotation: clientSecretRotation.optional(),
  consumers: consumers.optional(),
  certificate: clientCertificate.optional(),
  overrides: z.record(z.string(), clientOverride).optional(),
});

const backend = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("local"), path: z.string().min(1).optional() }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be a valid S3 bucket name" }),
    key: z.string().min(1, { error: "must not be empty" }),
    region: z.string().regex(NAMING.region, { error: "must be an AWS region code such as eu-west-1" }),
    dynamodbTable: z.string().min(3).optional(),
    kmsKeyId: z.string().min(1).optional(),
  }),
]);

const environment = z.strictObject({
  name: z.string().regex(NAMING.environmentName, { error: "must be 1–20 lowercase letters, digits or hyphens, not starting or ending with a hyphen" }),
  region: z.string().regex(NAMING.region, { error: "must be an AWS region code such as eu-west-1" }),
  domainPrefix: z.string().regex(NAMING.domainPrefix, {
    error: "must be 1–63 lowercase letters, digits or hyphens, not starting or ending with a hyphen (Cognito domain prefix)",
  }),
  stageName: z.string().regex(NAMING.stageName, { error: "must be 1–128 letters, digits, hyphens or underscores (API Gateway stage name)" }),
  deletionProtection: z.boolean().optional(),
  backend: backend.optional(),
  tags: z.record(z.string().regex(/^[\p{L}\p{Z}\p{N}_.:/=+@-]{1,128}$/u, { error: "must be a valid AWS tag key" }), z.string().max(256)).optional(),
  kind: z.enum(["development", "production"]).optional(),
  throttling: throttling.optional(),
  logRetentionDays: retentionDays.optional(),
  accessLogs: z.strictObject({ enabled: z.boolean().optional(), manageAccountRole: z.boolean().optional() }).optional(),
  waf: z
    .strictObject({
      enabled: z.boolean().optional(),
      rateLimitPer5Minutes: z.number().int({ error: "must be a whole number" }).min(10, { error: "must be at least 10 (AWS WAF's minimum)" }).max(2_000_000_000).optional(),
      tokenEndpointRateLimitPer5Minutes: z.number().int({ error: "must be a whole number" }).min(10, { error: "must be at least 10 (AWS WAF's minimum)" }).max(2_000_000_000).optional(),
    })
    .optional(),
  allowedSourceIps: z.array(cidr).min(1, { error: "must list at least one CIDR (omit it to allow every source)" }).optional(),
  alarms: z.strictObject({ enabled: z.boolean().optional(), emails: z.array(z.email({ error: "must be an email address" })).optional() }).optional(),
  secretRotation: z
    .strictObject({
      enabled: z.boolean().optional(),
      everyDays: rotationDays.optional(),
      gracePeriodHours: z.number().int({ error: "must be a whole number of hours" }).min(0, { error: "must be 0 or more hours" }).optional(),
    })
    .optional(),
  userPoolTier: z.enum(USER_POOL_TIERS).optional(),
  threatProtection: z.enum(["OFF", "AUDIT", "ENFORCED"]).optional(),
  customDomain: z
    .strictObject({
      apiDomainName: dnsName(),
      hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, { error: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" }).optional(),
      tokenDomainName: dnsName().optional(),
      scopeIdentifiers: z.enum(["invoke-url", "both", "custom-domain"]).optional(),
    })
    .optional(),
  mtls: z.strictObject({ truststoreFiles: z.array(z.string().min(1)).min(1, { error: "must list at least one CA file (omit mtls for none)" }) }).optional(),
  scopeChecker: z.strictObject({ reservedConcurrency: reservedConcurrency("the checker").optional() }).optional(),
});

const scopeChecker = z.strictObject({
  resultTtlSeconds: z.number().int().min(0, { error: "must be from 0 to 3600 seconds" }).max(3600, { error: "must be from 0 to 3600 seconds" }).optional(),
  memoryMb: z.number().int().min(128, { error: "must be from 128 to 10240 MB" }).max(10240, { error: "must be from 128 to 10240 MB" }).optional(),
  timeoutSeconds: z.number().int().min(1, { error: "must be from 1 to 30 seconds (API Gateway waits 30 s at most)" }).max(30, { error: "must be from 1 to 30 seconds (API Gateway waits 30 s at most)" }).optional(),
});

const routes = z.array(route).min(1, { error: "must define at least one route" });
const common = {
  environments: z.array(environment).min(1, { error: "must define at least one environment" }),
  scopeChecker: scopeChecker.optional(),
  usageTiers: z.record(tierName(), usageLimits).optional(),
};

/** The one-API form: `api` and `routes` at the top. */
export const singleApiConfigSchema = z.strictObject({ api, routes, clients: z.array(client), ...common });

/** A GitHub user or team (`@user`, `@org/team`) or an e-mail address: what CODEOWNERS accepts. */
const owner = z.string().regex(/^(?:@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9][A-Za-z0-9._-]{0,99})?|[^@\s]+@[^@\s]+\.[^@\s]+)$/, {
  error: "must be a GitHub user or team (@user, @org/team) or an e-mail address (CODEOWNERS)",
});
const owners = z.array(owner).min(1, { error: "must name at least one owner (who reviews changes to it)" });

const apiDefinition = z.strictObject({ ...api.shape, routes, owners, movedFromSingleApi: z.boolean().optional() });

/** The several-API form; `apiFiles` is resolved by the loader (model/load-config.ts) before validation. */
export const multiApiConfigSchema = z.strictObject({
  name: api.shape.name,
  owners,
  apis: z.array(apiDefinition).min(1, { error: "must define at least one API (here or in apiFiles)" }),
  apiFiles: z.string().optional(),
  clients: z.array(client.extend({ sponsor: z.string().optional() })).optional(),
  ...common,
});

export type ParsedSingleApiConfig = z.infer<typeof singleApiConfigSchema>;
export type ParsedMultiApiConfig = z.infer<typeof multiApiConfigSchema>;
export type ParsedRoute = z.infer<typeof route>;
export type ParsedClient = z.infer<typeof client> & { readonly sponsor?: string };
export type ParsedEnvironment = z.infer<typeof environment>;
export type ParsedUsageTiers = ParsedSingleApiConfig["usageTiers"];

/** Which form a raw config is written in: the one-API form has `api` or `routes` at the top. */
export function configLayout(input: unknown): "single-api" | "multi-api" {
  const raw = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  return "api" in raw || "routes" in raw ? "single-api" : "multi-api";
}

export function schemaFor(input: unknown): typeof singleApiConfigSchema | typeof multiApiConfigSchema {
  return configLayout(input) === "single-api" ? singleApiConfigSchema : multiApiConfigSchema;
}
