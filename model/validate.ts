/**
 * `validateConfig`: raw config in, resolved model out, or a `ConfigValidationError` carrying
 * every problem at once. Pure: nothing is built, written or fetched.
 */
import type { z } from "zod";
import { schemaFor, type ParsedClient, type ParsedEnvironment, type ParsedMultiApiConfig, type ParsedRoute, type ParsedSingleApiConfig, type ParsedUsageTiers } from "./config-schema";
import { locateProblems, originsOf } from "./config-origins";
import { parseGrant } from "./scope-grants";
import { TOKEN_ENDPOINT_RATE_LIMIT_PER_5_MINUTES } from "./aws-limits";
import { crossCheck, DEFAULT_GRACE_HOURS, DEFAULT_ROTATION_DAYS, defaultThrottling } from "./cross-checks";
import { defaultLocalStatePath } from "./local-state";
import { resolveBackends } from "./backend-checks";
import type { Api, Client, Environment, M2MModel, ModelLayout, Route, UsageLimits } from "./model-types";
import { normalizePath, routeKey } from "./paths";
import { knownFieldsAt, nearestField } from "./field-suggestions";
import { normalizeFingerprint, normalizeSubject } from "./certificate-binding";
import { truststorePem } from "./edge-checks";
import { ConfigValidationError, formatPath, type ConfigProblem } from "./problems";

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** One zod issue -> one or more problems phrased as "<path>: <rule> (got <value>)". */
function problemsFromIssue(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType): ConfigProblem[] {
  const value = valueAt(input, issue.path);
  const path = formatPath(issue.path);
  switch (issue.code) {
    case "invalid_type":
      if (issue.expected === "int") return [{ path, rule: "must be a whole number", value }];
      return [{ path, rule: value === undefined ? "is required" : `must be ${issue.expected === "object" ? "an object" : issue.expected === "array" ? "an array" : `a ${issue.expected}`}`, value }];
    case "invalid_value":
      return [{ path, rule: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, value }];
    case "unrecognized_keys": {
      const known = knownFieldsAt(schema, issue.path, input);
      return issue.keys.map((key) => {
        const nearest = nearestField(key, known);
        return {
          path: formatPath([...issue.path, key]),
          rule: nearest !== undefined ? `is not a known field; did you mean "${nearest}"?` : `is not a known field (known here: ${known.join(", ")})`,
          value: valueAt(input, [...issue.path, key]),
        };
      });
    }
    case "invalid_union": {
      // A client's limits: a tier name or limits of their own. Report the branch the value's
      // type chose (its issues' paths are relative to the union).
      if (issue.path[issue.path.length - 1] === "limits") {
        const branch = issue.errors.find((errors) => !errors.some((e) => e.code === "invalid_type" && e.path.length === 0));
        if (branch === undefined) return [{ path, rule: "must be a tier's name or { rateLimit, burstLimit, quota? }", value }];
        return branch.flatMap((e) => problemsFromIssue({ ...e, path: [...issue.path, ...e.path] } as z.core.$ZodIssue, input, schema));
      }
      // The other unions are the state backend and the route backend, discriminated by `type`; zod points at the discriminator.
      const at = issue.path[issue.path.length - 1] === "type" ? issue.path : [...issue.path, "type"];
      const rule = at.includes("routes") ? 'must be "mock", "lambda", "lambda-arn" or "http"' : 'must be "local" or "s3"';
      return [{ path: formatPath(at), rule, value: valueAt(input, at) }];
    }
    default:
      return [{ path, rule: issue.message, value }];
  }
}

type ParsedLimits = NonNullable<ParsedClient["limits"]>;

/** A tier's name becomes that tier's limits; limits of the client's own get a plan of its own. */
function resolveLimits(limits: ParsedLimits | null | undefined, client: string, tiers: ParsedUsageTiers): UsageLimits | undefined {
  if (limits === null || limits === undefined) return undefined;
  const [plan, tier, own] = typeof limits === "string" ? [`tier-${limits}`, limits, tiers![limits]!] : [`client-${client}`, undefined, limits];
  return { plan, ...(tier === undefined ? {} : { tier }), rateLimit: own.rateLimit, burstLimit: own.burstLimit, ...(own.quota === undefined ? {} : { quota: own.quota }) };
}

interface ResolveContext {
  readonly layout: ModelLayout;
  readonly apis: readonly string[];
  readonly tiers: ParsedUsageTiers;
}

function resolveClient(raw: ParsedClient, env: ParsedEnvironment, context: ResolveContext): Client {
  const tiers = context.tiers;
  const override = raw.overrides?.[env.name];
  const disabled = override?.disabled ?? raw.disabled ?? false;
  const production = env.kind === "production";
  const rotates = !disabled && (override?.secretRotation?.enabled ?? raw.secretRotation?.enabled ?? env.secretRotation?.enabled ?? production);
  const everyDays = override?.secretRotation?.everyDays ?? raw.secretRotation?.everyDays ?? env.secretRotation?.everyDays ?? DEFAULT_ROTATION_DAYS;
  const limits = resolveLimits(override?.limits !== undefined ? override.limits : raw.limits, raw.name, tiers);
  const certificate = override?.certificate ?? raw.certificate;
  return {
    name: raw.name,
    ...(raw.description === undefined ? {} : { description: raw.description }),
    // Checked by crossCheck: every grant parses and names an existing API and scope.
    scopes: raw.scopes.map((text) => parseGrant(text, { layout: context.layout, apis: context.apis, ...(raw.sponsor === undefined ? {} : { sponsor: raw.sponsor }) }) as { api: string; scope: string }),
    ...(raw.sponsor === undefined ? {} : { sponsor: raw.sponsor }),
    accessTokenValidity: override?.accessTokenValidity ?? raw.accessTokenValidity ?? { value: 60, unit: "minutes" },
    disabled,
    ...(rotates ? { secretRotationDays: everyDays } : {}),
    consumers: override?.consumers ?? raw.consumers ?? [],
    ...(limits === undefined ? {} : { limits }),
    ...(certificate === undefined ? {} : { certificate: { ...(certificate.subject === undefined ? {} : { subject: normalizeSubject(certificate.subject) }), ...(certificate.sha256 === undefined ? {} : { sha256: normalizeFingerprint(certificate.sha256) }) } }),
  };
}


function resolveRoutes(api: string, parsedRoutes: readonly ParsedRoute[]): Pick<Api, "routes" | "backendFunctions"> {
  const backends = resolveBackends(api, parsedRoutes);
  const routes: Route[] = parsedRoutes.map((r, i) => {
    const path = normalizePath(r.path);
    return {
      api,
      method: r.method,
      path,
      scopes: r.scopes,
      authorizer: r.authorizer ?? "cognito",
      backend: backends.routeBackends[i]!,
      response: { status: r.response?.status ?? 200, body: r.response?.body ?? {} },
      ...(r.description === undefined ? {} : { description: r.description }),
      ...(r.throttling === undefined ? {} : { throttling: r.throttling }),
      key: routeKey(r.method, path),
      requireBoundCertificate: r.requireBoundCertificate ?? false,
    };
  });
  return { routes, backendFunctions: backends.functions };
}

/** The APIs and clients of either form, and the authorization server's name and owners. */
function resolveApis(parsed: ParsedSingleApiConfig | ParsedMultiApiConfig, sourceFiles: readonly (string | undefined)[]): Pick<M2MModel, "name" | "layout" | "owners" | "apis"> & { clients: readonly ParsedClient[] } {
  if ("api" in parsed) {
    const { name, resourceServerName, scopes } = parsed.api;
    return { name, layout: "single-api", owners: [], apis: [{ name, resourceServerName, scopes, ...resolveRoutes(name, parsed.routes), owners: [], movedFromSingleApi: false }], clients: parsed.clients };
  }
  const apis = parsed.apis.map((a, j): Api => ({
    name: a.name,
    resourceServerName: a.resourceServerName,
    scopes: a.scopes,
    ...resolveRoutes(a.name, a.routes),
    owners: a.owners,
    ...(sourceFiles[j] === undefined ? {} : { sourceFile: sourceFiles[j] }),
    movedFromSingleApi: a.movedFromSingleApi ?? false,
  }));
  return { name: parsed.name, layout: "multi-api", owners: parsed.owners, apis, clients: parsed.clients ?? [] };
}

function resolve(parsed: ParsedSingleApiConfig | ParsedMultiApiConfig, sourceFiles: readonly (string | undefined)[], projectRoot: string | undefined): M2MModel {
  const { clients, ...server } = resolveApis(parsed, sourceFiles);
  const context: ResolveContext = { layout: server.layout, apis: server.apis.map((a) => a.name), tiers: parsed.usageTiers };
  const environments: Environment[] = parsed.environments.map((e) => {
    const production = e.kind === "production";
    const reservedConcurrency = e.scopeChecker?.reservedConcurrency;
    return {
      name: e.name,
      region: e.region,
      domainPrefix: e.domainPrefix,
      stageName: e.stageName,
      deletionProtection: e.deletionProtection ?? production,
      backend:
        e.backend?.type === "s3"
          ? e.backend
          : { type: "local", path: e.backend?.path ?? defaultLocalStatePath(e.name) },
      tags: e.tags ?? {},
      clients: clients.filter((c) => c.environments === undefined || c.environments.includes(e.name)).map((c) => resolveClient(c, e, context)),
      kind: e.kind ?? "development",
      throttling: e.throttling ?? defaultThrottling(e.kind),
      logRetentionDays: e.logRetentionDays ?? (production ? 365 : 14),
      accessLogs: { enabled: e.accessLogs?.enabled ?? production, manageAccountRole: e.accessLogs?.manageAccountRole ?? false },
      waf: {
        enabled: e.waf?.enabled ?? production,
        rateLimitPer5Minutes: e.waf?.rateLimitPer5Minutes ?? 1000,
        tokenEndpointRateLimitPer5Minutes: e.waf?.tokenEndpointRateLimitPer5Minutes ?? TOKEN_ENDPOINT_RATE_LIMIT_PER_5_MINUTES,
      },
      allowedSourceIps: e.allowedSourceIps ?? [],
      alarms: { enabled: e.alarms?.enabled ?? production, emails: e.alarms?.emails ?? [] },
      // Opt-in: a reservation the account cannot spare fails the deploy (see docs/configure.md).
      ...(reservedConcurrency === undefined ? {} : { scopeCheckerReservedConcurrency: reservedConcurrency }),
      secretRotationGraceSeconds: (e.secretRotation?.gracePeriodHours ?? DEFAULT_GRACE_HOURS) * 3600,
      userPoolTier: e.userPoolTier ?? "ESSENTIALS",
      threatProtection: e.threatProtection ?? "OFF",
      ...(e.customDomain === undefined ? {} : { customDomain: { ...e.customDomain, scopeIdentifiers: e.customDomain.scopeIdentifiers ?? "custom-domain" } }),
      ...(e.mtls === undefined ? {} : { mtls: { truststoreFiles: e.mtls.truststoreFiles, truststorePem: truststorePem(e.mtls.truststoreFiles, projectRoot) } }),
    };
  });
  return {
    ...server,
    environments,
    scopeChecker: {
      resultTtlSeconds: parsed.scopeChecker?.resultTtlSeconds ?? 300,
      memoryMb: parsed.scopeChecker?.memoryMb ?? 256,
      timeoutSeconds: parsed.scopeChecker?.timeoutSeconds ?? 5,
    },
  };
}

export interface ValidateOptions {
  /** Where handler files (`backend.handler`) are looked up, e.g. a tree exported from a git ref. @default this checkout */
  readonly projectRoot?: string;
}

const DID_YOU_MEAN = /; did you mean "([^"]+)"\?$/;

/**
 * A misspelled field (`scope`) leaves its right name (`scopes`) missing: one problem, the
 * misspelling with the suggestion, rather than also "scopes: is required" for a field the user did write.
 */
function withoutMisspelledRequired(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const suggested = new Set<string>();
  for (const p of problems) {
    const meant = DID_YOU_MEAN.exec(p.rule)?.[1];
    if (meant === undefined) continue;
    const parent = p.path.slice(0, Math.max(0, p.path.lastIndexOf(".")));
    suggested.add(parent === "" ? meant : `${parent}.${meant}`);
  }
  return problems.filter((p) => !(p.rule === "is required" && suggested.has(p.path)));
}

/** Validates a raw config and resolves it; throws `ConfigValidationError` listing every problem. */
export function validateConfig(input: unknown, options: ValidateOptions = {}): M2MModel {
  const schema = schemaFor(input);
  const result = schema.safeParse(input);
  const origins = originsOf(input);
  const problems = [...(result.success ? [] : withoutMisspelledRequired(result.error.issues.flatMap((i) => problemsFromIssue(i, input, schema)))), ...crossCheck(input, options)];
  if (problems.length > 0 || !result.success) throw new ConfigValidationError(locateProblems(problems, origins));
  return resolve(result.data, origins?.apis.map((o) => o?.file) ?? [], options.projectRoot);
}
