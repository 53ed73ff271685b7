/**
 * Rules that relate fields to each other (references, uniqueness, quotas, sizes). They run on
 * the raw input alongside the schema, guarding every access, so one run reports all problems.
 */
import { scopeCheckerAccessFileBytes, scopeCheckerAllowList } from "./access";
import { checkBackends } from "./backend-checks";
import { alarmSubscriptionName } from "./alarm-subscriptions";
import { ACCESS_TOKEN_VALIDITY, NAMING, QUOTAS, SECONDS_PER_UNIT } from "./aws-limits";
import { nearestRegion, partitionOf } from "./aws-regions";
import { customDomainApiUrl, invokeUrl, scopeIdentifier } from "./aws-urls";
import { checkEdge } from "./edge-checks";
import { defaultLocalStatePath, localStateLocation, localStateProblem } from "./local-state";
import { normalizePath, parsePath, routeKey, pathKey, segmentText } from "./paths";
import { configLayout } from "./config-schema";
import { loadedApiFiles } from "./config-origins";
import { formatPath, type ConfigProblem } from "./problems";
import { GRANT_SEPARATOR, grantLabel, parseGrant } from "./scope-grants";
import { nearestField } from "./field-suggestions";
import { checkUnusedSettings, offBecause } from "./unused-settings";

/**
 * The tags every stack sets through the provider's default_tags (constructs/m2m-stack.ts); a
 * test holds this list to the synthesized stack. A user tag with one of these keys would be
 * overwritten without a word, so it is refused.
 */
export const PROJECT_TAG_KEYS = ["Project", "Api", "Environment", "ManagedBy"] as const;

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const stringAt = (v: unknown, key: string): string | undefined => (isObject(v) && typeof v[key] === "string" ? (v[key] as string) : undefined);

/**
 * One API as the raw input holds it, in either form: the one-API form's `api` + `routes`, or
 * one entry of `apis`. `at` and `routesAt` are where its fields are, for problem paths.
 */
interface RawApi {
  readonly name: string | undefined;
  readonly at: string;
  readonly routesAt: string;
  readonly scopes: unknown[];
  readonly scopeNames: ReadonlySet<string>;
  readonly routes: unknown[];
}

function rawApis(input: Raw, layout: "single-api" | "multi-api"): RawApi[] {
  const view = (api: unknown, at: string, routes: unknown, routesAt: string): RawApi => {
    const scopes = arrayOf(isObject(api) ? api.scopes : undefined);
    return { name: stringAt(api, "name"), at, routesAt, scopes, scopeNames: new Set(scopes.map((s) => stringAt(s, "name")).filter((n): n is string => n !== undefined)), routes: arrayOf(routes) };
  };
  if (layout === "single-api") return [view(input.api, "api", input.routes, "routes")];
  return arrayOf(input.apis).map((api, j) => view(api, `apis[${j}]`, isObject(api) ? api.routes : undefined, `apis[${j}].routes`));
}

/** A client's grants that name an existing API and scope (the others are reported by checkClients), per API name. */
function grantsByApi(client: Raw, apis: readonly RawApi[], layout: "single-api" | "multi-api"): Map<string, Set<string>> {
  const context = { layout, apis: apis.map((a) => a.name ?? ""), ...(typeof client.sponsor === "string" ? { sponsor: client.sponsor } : {}) };
  const byApi = new Map<string, Set<string>>();
  for (const text of arrayOf(client.scopes)) {
    if (typeof text !== "string") continue;
    const grant = parseGrant(text, context);
    if ("problem" in grant) continue;
    const api = apis.find((a) => a.name === grant.api);
    if (!api?.scopeNames.has(grant.scope)) continue;
    byApi.set(grant.api, (byApi.get(grant.api) ?? new Set()).add(grant.scope));
  }
  return byApi;
}

/** APIs: names unique (the loader's file names say which files clash), quotas for the whole pool, sponsors and owners. */
function checkApis(problems: ConfigProblem[], input: Raw, apis: readonly RawApi[], layout: "single-api" | "multi-api"): void {
  for (const api of apis) {
    checkUnique(problems, api.scopes.map((s, i) => ({ path: `${api.at}.scopes[${i}].name`, value: stringAt(s, "name") })), "scope name");
    if (api.scopes.length > QUOTAS.scopesPerResourceServer) {
      problems.push({ path: `${api.at}.scopes`, rule: `must define at most ${QUOTAS.scopesPerResourceServer} scopes (Cognito quota per resource server)`, value: `${api.scopes.length} scopes` });
    }
  }
  if (layout === "single-api") return;
  checkUnique(problems, apis.map((a) => ({ path: `${a.at}.name`, value: a.name })), "API name");
  if (apis.length > QUOTAS.resourceServersPerPool) {
    problems.push({ path: "apis", rule: `must define at most ${QUOTAS.resourceServersPerPool} APIs: each is a resource server of the one user pool (Cognito quota per user pool)`, value: `${apis.length} APIs` });
  }
  const moved = apis.filter((_, j) => isObject(arrayOf(input.apis)[j]) && (arrayOf(input.apis)[j] as Raw).movedFromSingleApi === true);
  for (const api of moved.slice(1)) {
    problems.push({ path: `${api.at}.movedFromSingleApi`, rule: `may be set on one API only (the one-API form had one API; also set at ${moved[0]!.at})`, value: true });
  }
  const names = new Set(apis.map((a) => a.name));
  arrayOf(input.clients).forEach((client, i) => {
    const sponsor = isObject(client) ? client.sponsor : undefined;
    if (typeof sponsor === "string" && !names.has(sponsor)) {
      problems.push({ path: `clients[${i}].sponsor`, rule: `must name an API defined in apis (${[...names].join(", ")})`, value: sponsor });
    }
  });
}

/** Reports each value that appears more than once in `items`, at its later positions. */
function checkUnique(problems: ConfigProblem[], items: { path: string; value: string | undefined }[], what: string): void {
  const first = new Map<string, string>();
  for (const item of items) {
    if (item.value === undefined) continue;
    const seen = first.get(item.value);
    if (seen) problems.push({ path: item.path, rule: `${what} must be unique (also at ${seen})`, value: item.value });
    else first.set(item.value, item.path);
  }
}

/**
 * A scope name its API does not define: the API by name (a path alone says `apis[1]`), the scopes
 * it does define, and the nearest of them when the name looks misspelled.
 */
function undefinedScopeRule(api: RawApi, scope: string, layout: "single-api" | "multi-api"): string {
  const names = [...api.scopeNames];
  const nearest = nearestField(scope, names);
  const of = layout === "multi-api" && api.name !== undefined ? ` of API "${api.name}"` : "";
  return `must name a scope${of} defined in ${api.at}.scopes (${names.length === 0 ? "none defined" : names.join(", ")})${nearest === undefined ? "" : `; did you mean "${nearest}"?`}`;
}

/** A route's scopes: each one of its API's, none twice. */
function checkScopeRefs(problems: ConfigProblem[], refs: unknown, path: string, api: RawApi, layout: "single-api" | "multi-api"): void {
  const items = arrayOf(refs).map((s, k) => ({ path: `${path}[${k}]`, value: typeof s === "string" ? s : undefined }));
  for (const item of items) {
    if (item.value !== undefined && !api.scopeNames.has(item.value)) {
      problems.push({ path: item.path, rule: undefinedScopeRule(api, item.value, layout), value: item.value });
    }
  }
  checkUnique(problems, items, "scope");
}

function checkTokenValidity(problems: ConfigProblem[], validity: unknown, path: string): void {
  if (!isObject(validity) || typeof validity.value !== "number" || typeof validity.unit !== "string") return;
  const perUnit = SECONDS_PER_UNIT[validity.unit as keyof typeof SECONDS_PER_UNIT];
  if (perUnit === undefined) return;
  const seconds = validity.value * perUnit;
  if (seconds < ACCESS_TOKEN_VALIDITY.minSeconds || seconds > ACCESS_TOKEN_VALIDITY.maxSeconds) {
    problems.push({ path, rule: "must be from 5 minutes to 1 day (Cognito access-token validity)", value: validity });
  }
}

function checkThrottling(problems: ConfigProblem[], throttling: unknown, path: string): void {
  if (!isObject(throttling) || typeof throttling.rateLimit !== "number" || typeof throttling.burstLimit !== "number") return;
  if (throttling.burstLimit < throttling.rateLimit) {
    problems.push({ path: `${path}.burstLimit`, rule: `must be at least rateLimit (${throttling.rateLimit})`, value: throttling.burstLimit });
  }
}

function checkRoutes(problems: ConfigProblem[], api: RawApi, layout: "single-api" | "multi-api"): void {
  const { routes, routesAt } = api;
  const routeIds: { path: string; value: string | undefined }[] = [];
  const keys: { path: string; value: string | undefined }[] = [];
  // API Gateway allows one parameter name per position under a parent: /a/{id} and /a/{name}/b conflict.
  const paramAt = new Map<string, { name: string; path: string }>();
  const resourceKeys = new Map<string, { path: string; full: string }>();
  routes.forEach((route, i) => {
    const path = stringAt(route, "path");
    const method = stringAt(route, "method");
    const at = `${routesAt}[${i}]`;
    checkScopeRefs(problems, isObject(route) ? route.scopes : undefined, `${at}.scopes`, api, layout);
    checkThrottling(problems, isObject(route) ? route.throttling : undefined, `${at}.throttling`);
    if (isObject(route) && route.throttling !== undefined && typeof route.path === "string" && normalizePath(route.path) === "/") {
      problems.push({ path: `${at}.throttling`, rule: "must not be set on the root path / (a stage's method settings cannot address it); the environment's throttling applies", value: route.throttling });
    }
    const body = isObject(route) && isObject(route.response) ? route.response.body : undefined;
    // The body becomes an API Gateway mapping template (Velocity), where $ and # are code.
    if (body !== undefined && /[$#]/.test(JSON.stringify(body) ?? "")) {
      problems.push({ path: `${at}.response.body`, rule: "must not contain $ or # (API Gateway mapping templates would evaluate them)", value: body });
    }
    if (path === undefined) return;
    const parsed = parsePath(path);
    if ("problem" in parsed) {
      problems.push({ path: `${at}.path`, rule: parsed.problem, value: path });
      return;
    }
    const normalized = normalizePath(path);
    let parent = "";
    for (const segment of parsed.segments) {
      const full = `${parent}/${segmentText(segment)}`;
      const key = pathKey(full);
      const other = resourceKeys.get(key);
      if (other && other.full !== full) {
        problems.push({ path: `${at}.path`, rule: `resource ${full} maps to the same Terraform name as ${other.full} (from ${other.path}); rename a segment`, value: path });
      } else resourceKeys.set(key, { path: `${at}.path`, full });
      if (segment.kind === "parameter") {
        const existing = paramAt.get(parent);
        if (existing && existing.name !== segmentText(segment)) {
          problems.push({ path: `${at}.path`, rule: `path parameter ${segmentText(segment)} conflicts with ${existing.name} at the same position (from ${existing.path}); API Gateway allows one name per position`, value: path });
        } else if (!existing) paramAt.set(parent, { name: segmentText(segment), path: `${at}.path` });
      }
      parent = full;
    }
    if (method !== undefined) {
      routeIds.push({ path: `${at}`, value: `${method} ${normalized}` });
      keys.push({ path: `${at}`, value: routeKey(method, normalized) });
    }
  });
  checkUnique(problems, routeIds, "method and path");
  const duplicateRoutes = new Set(problems.map((p) => p.path));
  checkUnique(problems, keys.filter((k) => !duplicateRoutes.has(k.path)), "route's Terraform name (method and path with punctuation folded)");
}

/** A full scope identifier (`<invoke URL>/<name>`) may have 256 characters at most (Cognito, API Gateway). */
function checkScopeIdentifierLengths(problems: ConfigProblem[], api: RawApi, environments: unknown[]): void {
  const scopes = api.scopes;
  const SAMPLE_API_ID = "abcdefghij"; // REST API ids have 10 characters
  environments.forEach((env) => {
    const region = stringAt(env, "region");
    const stage = stringAt(env, "stageName");
    if (region === undefined || stage === undefined) return;
    scopes.forEach((scope, k) => {
      const name = stringAt(scope, "name");
      if (name === undefined) return;
      const domain = isObject(env) && isObject(env.customDomain) && typeof env.customDomain.apiDomainName === "string" ? env.customDomain.apiDomainName : undefined;
      const base = domain === undefined ? invokeUrl(SAMPLE_API_ID, region, stage) : customDomainApiUrl(domain, api.name ?? "");
      const length = scopeIdentifier(base, name).length;
      if (length > 256) {
        problems.push({ path: `${api.at}.scopes[${k}].name`, rule: `makes a ${length}-character scope identifier in environment ${stringAt(env, "name")} (<invoke URL>/<name>; Cognito allows 256): shorten the scope or the stage name`, value: name });
      }
    });
  });
}

/**
 * A region (of the right form: the schema reports the form) must exist. The stacks' own region
 * must also be in the `aws` partition: aws-urls.ts builds `amazonaws.com` / `amazoncognito.com`
 * hosts and the stacks `arn:aws:` ARNs, which other partitions (aws-cn, aws-us-gov, …) spell
 * differently; refusing them is honest where nothing here could check those spellings.
 */
function checkRegion(problems: ConfigProblem[], region: string | undefined, path: string, awsPartitionOnly: boolean): void {
  if (region === undefined || !NAMING.region.test(region)) return;
  const partition = partitionOf(region);
  if (partition === undefined) {
    problems.push({ path, rule: `must be a region in the AWS SDK's region list (@aws-sdk/core); nearest: ${nearestRegion(region)}`, value: region });
  } else if (awsPartitionOnly && partition !== "aws") {
    problems.push({ path, rule: `must be a region of the aws partition: the stacks build aws ARNs and amazonaws.com / amazoncognito.com URLs (this region is in ${partition})`, value: region });
  }
}

function checkEnvironments(problems: ConfigProblem[], environments: unknown[]): void {
  checkUnique(problems, environments.map((e, i) => ({ path: `environments[${i}].name`, value: stringAt(e, "name") })), "environment name");
  checkUnique(
    problems,
    environments.map((e, i) => {
      const prefix = stringAt(e, "domainPrefix");
      return { path: `environments[${i}].domainPrefix`, value: prefix === undefined ? undefined : `${prefix} in ${stringAt(e, "region")}` };
    }),
    "domain prefix per region",
  );
  const stateLocations: { path: string; value: string | undefined }[] = [];
  environments.forEach((env, i) => {
    checkThrottling(problems, isObject(env) ? env.throttling : undefined, `environments[${i}].throttling`);
    checkRegion(problems, stringAt(env, "region"), `environments[${i}].region`, true);
    const alarms = isObject(env) ? env.alarms : undefined;
    const emails = arrayOf(isObject(alarms) ? alarms.emails : undefined);
    const subscriptions = new Map<string, string>();
    emails.forEach((email, k) => {
      if (typeof email !== "string") return;
      const path = `environments[${i}].alarms.emails[${k}]`;
      const seen = subscriptions.get(alarmSubscriptionName(email));
      if (seen) problems.push({ path, rule: `alarm subscription (addresses compare case-insensitively) must be unique (also at ${seen})`, value: email });
      else subscriptions.set(alarmSubscriptionName(email), path);
    });
    const prefix = stringAt(env, "domainPrefix");
    const reserved = prefix === undefined ? undefined : NAMING.domainPrefixReservedWords.find((w) => prefix.includes(w));
    if (reserved) {
      problems.push({ path: `environments[${i}].domainPrefix`, rule: 'must not contain "aws", "amazon" or "cognito" (reserved by Cognito)', value: prefix });
    }
    if (isObject(env) && isObject(env.tags)) {
      for (const key of Object.keys(env.tags)) {
        if (key.toLowerCase().startsWith("aws:")) problems.push({ path: `environments[${i}].tags[${JSON.stringify(key)}]`, rule: 'must not start with "aws:" (reserved by AWS)', value: key });
        else if ((PROJECT_TAG_KEYS as readonly string[]).includes(key)) {
          problems.push({ path: `environments[${i}].tags.${key}`, rule: `is set by the project's default tags (${PROJECT_TAG_KEYS.join(", ")}) and would be overridden: choose another key`, value: env.tags[key] });
        }
      }
    }
    const backend = isObject(env) ? env.backend : undefined;
    if (backend === undefined || stringAt(backend, "type") === "local") {
      const name = stringAt(env, "name");
      const localPath = stringAt(backend, "path") ?? (name === undefined ? undefined : defaultLocalStatePath(name));
      if (localPath !== undefined && name !== undefined) {
        const problem = localStateProblem(name, localPath);
        if (problem) problems.push({ path: `environments[${i}].backend.path`, rule: problem, value: localPath });
        else stateLocations.push({ path: `environments[${i}].backend`, value: `local ${localStateLocation(name, localPath)}` });
      }
    }
    if (stringAt(backend, "type") === "s3") {
      checkRegion(problems, stringAt(backend, "region"), `environments[${i}].backend.region`, false);
      stateLocations.push({ path: `environments[${i}].backend`, value: `s3://${stringAt(backend, "bucket")}/${stringAt(backend, "key")}` });
    }
  });
  checkUnique(problems, stateLocations, "state location (two environments would overwrite each other's state)");
}

function checkClients(problems: ConfigProblem[], clients: unknown[], apis: readonly RawApi[], layout: "single-api" | "multi-api", envNames: ReadonlySet<string>): void {
  checkUnique(problems, clients.map((c, i) => ({ path: `clients[${i}].name`, value: stringAt(c, "name") })), "client name");
  const apiNames = [...new Set(apis.map((a) => a.name ?? ""))];
  clients.forEach((client, i) => {
    if (!isObject(client)) return;
    const context = { layout, apis: apiNames, ...(typeof client.sponsor === "string" ? { sponsor: client.sponsor } : {}) };
    const granted: { path: string; value: string | undefined }[] = [];
    arrayOf(client.scopes).forEach((text, k) => {
      const path = `clients[${i}].scopes[${k}]`;
      if (typeof text !== "string") return;
      const grant = parseGrant(text, context);
      if ("problem" in grant) return void problems.push({ path, rule: grant.problem, value: text });
      const api = apis.find((a) => a.name === grant.api);
      if (!api) return void problems.push({ path, rule: `must name an API defined in apis (${apiNames.join(", ")}) before ${GRANT_SEPARATOR}`, value: text });
      if (!api.scopeNames.has(grant.scope)) return void problems.push({ path, rule: undefinedScopeRule(api, grant.scope, layout), value: text });
      granted.push({ path, value: grantLabel(grant, layout) });
    });
    checkUnique(problems, granted, "scope");
    const count = arrayOf(client.scopes).length;
    if (count > QUOTAS.scopesPerClient) {
      problems.push({ path: `clients[${i}].scopes`, rule: `must allow at most ${QUOTAS.scopesPerClient} scopes (Cognito quota per app client${layout === "single-api" ? "" : ", every API's scopes together"})`, value: `${count} scopes` });
    }
    checkTokenValidity(problems, client.accessTokenValidity, `clients[${i}].accessTokenValidity`);
    const own = Array.isArray(client.environments) ? new Set(client.environments.filter((e): e is string => typeof e === "string")) : envNames;
    arrayOf(client.environments).forEach((env, k) => {
      if (typeof env === "string" && !envNames.has(env)) {
        problems.push({ path: `clients[${i}].environments[${k}]`, rule: "must name an environment defined in environments", value: env });
      }
    });
    checkUnique(problems, arrayOf(client.environments).map((e, k) => ({ path: `clients[${i}].environments[${k}]`, value: typeof e === "string" ? e : undefined })), "environment");
    if (isObject(client.overrides)) {
      for (const [env, override] of Object.entries(client.overrides)) {
        const path = `clients[${i}].overrides[${JSON.stringify(env)}]`;
        if (!own.has(env)) problems.push({ path, rule: "must name an environment this client exists in", value: env });
        if (isObject(override)) checkTokenValidity(problems, override.accessTokenValidity, `${path}.accessTokenValidity`);
      }
    }
  });
}

/** The stage throttling an environment ends up with (as validate.ts resolves it). */
function environmentThrottling(env: Raw): { rateLimit: number; burstLimit: number } {
  if (isObject(env.throttling) && typeof env.throttling.rateLimit === "number" && typeof env.throttling.burstLimit === "number") {
    return { rateLimit: env.throttling.rateLimit, burstLimit: env.throttling.burstLimit };
  }
  return defaultThrottling(env.kind);
}

/** The stage throttling an environment gets without its own (shared with validate.ts's resolution). */
export function defaultThrottling(kind: unknown): { rateLimit: number; burstLimit: number } {
  return kind === "production" ? { rateLimit: 100, burstLimit: 200 } : { rateLimit: 10, burstLimit: 20 };
}

/**
 * Usage limits: tiers exist, burst >= rate, a client's limits fit under its stage's throttling,
 * and every route a limited client can call is one where API Gateway can count the call (a
 * scope-checker route: only a Lambda authorizer can name the client's usage key).
 */
function checkUsageLimits(problems: ConfigProblem[], input: Raw, environments: unknown[], apis: readonly RawApi[], layout: "single-api" | "multi-api"): void {
  const tiers = isObject(input.usageTiers) ? input.usageTiers : {};
  for (const [name, tier] of Object.entries(tiers)) checkThrottling(problems, tier, formatPath(["usageTiers", name]));
  const clients = arrayOf(input.clients);
  const limitsOf = (value: unknown): Raw | undefined => (typeof value === "string" ? (isObject(tiers[value]) ? (tiers[value] as Raw) : undefined) : isObject(value) ? value : undefined);
  const checkReference = (value: unknown, path: string) => {
    if (isObject(value)) checkThrottling(problems, value, path);
    if (typeof value === "string" && NAMING.slug.test(value) && !isObject(tiers[value])) {
      problems.push({ path, rule: `must name a tier defined in usageTiers${Object.keys(tiers).length ? ` (${Object.keys(tiers).join(", ")})` : " (none is defined)"}`, value });
    }
  };
  clients.forEach((client, i) => {
    if (!isObject(client)) return;
    checkReference(client.limits, `clients[${i}].limits`);
    if (isObject(client.overrides)) for (const [env, o] of Object.entries(client.overrides)) if (isObject(o)) checkReference(o.limits, `clients[${i}].overrides[${JSON.stringify(env)}].limits`);
  });

  environments.forEach((env, e) => {
    const envName = stringAt(env, "name");
    if (!isObject(env) || envName === undefined) return;
    const stage = environmentThrottling(env);
    const plans = new Set<string>();
    let keys = 0;
    clients.forEach((client, i) => {
      if (!isObject(client) || (Array.isArray(client.environments) && !client.environments.includes(envName))) return;
      const override = isObject(client.overrides) && isObject(client.overrides[envName]) ? (client.overrides[envName] as Raw) : {};
      const fromOverride = override.limits !== undefined;
      const chosen = fromOverride ? override.limits : client.limits;
      const limits = limitsOf(chosen);
      if (limits === undefined || (override.disabled ?? client.disabled) === true) return;
      const path = fromOverride ? `clients[${i}].overrides[${JSON.stringify(envName)}].limits` : `clients[${i}].limits`;
      plans.add(typeof chosen === "string" ? `tier-${chosen}` : `client-${stringAt(client, "name")}`);
      keys += 1;
      if (typeof limits.rateLimit === "number" && limits.rateLimit > stage.rateLimit) {
        problems.push({ path: `${path}.rateLimit`, rule: `must be at most environment ${envName}'s stage throttling rateLimit (${stage.rateLimit}): the stage's limit holds for all callers together`, value: limits.rateLimit });
      }
      if (typeof limits.burstLimit === "number" && limits.burstLimit > stage.burstLimit) {
        problems.push({ path: `${path}.burstLimit`, rule: `must be at most environment ${envName}'s stage throttling burstLimit (${stage.burstLimit}): the stage's limit holds for all callers together`, value: limits.burstLimit });
      }
      const grants = grantsByApi(client, apis, layout);
      const uncounted = apis.flatMap((api) => {
        const granted = grants.get(api.name ?? "") ?? new Set<string>();
        return api.routes
          .filter(isObject)
          .filter((r) => (r.authorizer ?? "cognito") === "cognito" && arrayOf(r.scopes).some((s) => typeof s === "string" && granted.has(s)))
          .map((r) => `${layout === "single-api" ? "" : `${api.name} `}${String(r.method)} ${String(r.path)}`);
      });
      if (uncounted.length > 0) {
        problems.push({
          path,
          rule: `are counted only on scope-checker routes (API Gateway meters a call when a Lambda authorizer names the client's usage key; the native Cognito authorizer cannot): in environment ${envName} this client can call ${uncounted.length === 1 ? "a route" : `${uncounted.length} routes`} with the native authorizer; set authorizer: "scope-checker" on ${uncounted.length === 1 ? "it" : "them"}, or narrow the client's scopes`,
          value: uncounted.join(", "),
        });
      }
    });
    // +1: the unmetered plan of the other callers of metered routes.
    if (plans.size + 1 > QUOTAS.usagePlansPerRegion) {
      problems.push({ path: `environments[${e}]`, rule: `must need at most ${QUOTAS.usagePlansPerRegion} usage plans (API Gateway's quota per account and region; use tiers)`, value: `${plans.size + 1} usage plans` });
    }
    if (keys > QUOTAS.apiKeysPerRegion) {
      problems.push({ path: `environments[${e}]`, rule: `must have at most ${QUOTAS.apiKeysPerRegion} limited clients (API Gateway's API keys per account and region)`, value: `${keys} limited clients` });
    }
  });
}

/** Quotas that depend on what each environment ends up with. */
function checkEnvironmentQuotas(problems: ConfigProblem[], clients: unknown[], environments: unknown[], apis: readonly RawApi[], layout: "single-api" | "multi-api"): void {
  environments.forEach((env, i) => {
    const name = stringAt(env, "name");
    if (name === undefined) return;
    const inEnv = clients.filter((c) => !isObject(c) || !Array.isArray(c.environments) || c.environments.includes(name));
    if (inEnv.length > QUOTAS.clientsPerPool) {
      problems.push({ path: `environments[${i}]`, rule: `must have at most ${QUOTAS.clientsPerPool} clients (Cognito app clients per user pool)`, value: `${inEnv.length} clients` });
    }
    // The scope checker's allow-list and routes travel in its deployment package (the access
    // file), not its environment: what bounds them is the package size, far beyond the pool's
    // client quota. Checked anyway, so a bound exists and is named. Each API has its own checker.
    for (const api of apis) {
      const checkerRoutes = api.routes.filter((r) => stringAt(r, "authorizer") === "scope-checker");
      if (checkerRoutes.length === 0) continue;
      // The allow-list is computed as the stack computes it, with this environment's overrides.
      const resolved = inEnv.filter(isObject).map((c) => {
        const override = isObject(c.overrides) && isObject(c.overrides[name]) ? (c.overrides[name] as Raw) : {};
        const scopes = [...(grantsByApi(c, apis, layout).get(api.name ?? "") ?? [])].map((scope) => ({ api: api.name ?? "", scope }));
        return { scopes, disabled: (override.disabled ?? c.disabled) === true };
      });
      const routes = checkerRoutes.filter(isObject).map((r) => ({ api: api.name ?? "", method: r.method, path: r.path, scopes: arrayOf(r.scopes).filter((s): s is string => typeof s === "string"), authorizer: "scope-checker" as const }));
      const estimate = scopeCheckerAccessFileBytes(scopeCheckerAllowList(resolved, routes).length, routes);
      if (estimate > QUOTAS.lambdaDirectUploadBytes) {
        problems.push({ path: `environments[${i}]`, rule: `scope checker's access file (client allow-list and routes${layout === "single-api" ? "" : ` of API ${api.name}`}) must fit Lambda's ${QUOTAS.lambdaDirectUploadBytes / 1024 / 1024} MB deployment package`, value: `~${estimate} bytes` });
      }
    }
  });
}

/** Rotation defaults, shared with validate.ts's resolution (the check must judge what will be synthesized). */
export const DEFAULT_ROTATION_DAYS = 30;
export const DEFAULT_GRACE_HOURS = 24;

/**
 * A grace period as long as the rotation interval would make every scheduled rotation refuse to
 * delete the previous secret (and so fail); threat protection is a feature of the PLUS plan.
 */
function checkRotationAndPlan(problems: ConfigProblem[], clients: unknown[], environments: unknown[]): void {
  /** Clients whose secret rotates in at least one environment: a client's own interval applies only there. */
  const rotatingSomewhere = new Set<number>();
  environments.forEach((env, i) => {
    if (!isObject(env)) return;
    const name = stringAt(env, "name");
    const rotation = isObject(env.secretRotation) ? env.secretRotation : {};
    const graceHours = typeof rotation.gracePeriodHours === "number" ? rotation.gracePeriodHours : DEFAULT_GRACE_HOURS;
    const production = env.kind === "production";
    const intervals: { path: string; days: number }[] = [];
    const envDays = typeof rotation.everyDays === "number" ? rotation.everyDays : DEFAULT_ROTATION_DAYS;
    clients.forEach((client, j) => {
      if (!isObject(client)) return;
      const inEnv = !Array.isArray(client.environments) || (name !== undefined && client.environments.includes(name));
      if (!inEnv) return;
      const override = isObject(client.overrides) && name !== undefined && isObject(client.overrides[name]) ? (client.overrides[name] as Raw) : {};
      const own = isObject(client.secretRotation) ? client.secretRotation : {};
      const over = isObject(override.secretRotation) ? override.secretRotation : {};
      const disabled = (override.disabled ?? client.disabled) === true;
      const enabled = (over.enabled ?? own.enabled ?? rotation.enabled ?? production) === true;
      if (disabled || !enabled) {
        if (over.everyDays !== undefined) {
          const why = disabled ? `the client is disabled in "${name}"` : `its secret does not rotate in "${name}"`;
          problems.push({ path: `clients[${j}].overrides.${name}.secretRotation.everyDays`, rule: `has no effect: ${why}: set secretRotation.enabled: true there, or remove everyDays`, value: over.everyDays });
        }
        return;
      }
      rotatingSomewhere.add(j);
      const days = [over.everyDays, own.everyDays, envDays].find((d) => typeof d === "number") as number;
      const path = typeof over.everyDays === "number" ? `clients[${j}].overrides.${name}.secretRotation.everyDays` : typeof own.everyDays === "number" ? `clients[${j}].secretRotation.everyDays` : `environments[${i}].secretRotation.everyDays`;
      intervals.push({ path, days });
    });
    // The environment's rotation settings apply to its rotating clients: with none, they would be dropped.
    if (intervals.length === 0) {
      for (const field of ["everyDays", "gracePeriodHours"] as const) {
        if (rotation[field] === undefined) continue;
        problems.push({ path: `environments[${i}].secretRotation.${field}`, rule: `has no effect: ${offBecause(env, "secretRotation")}, so no client's secret rotates: set secretRotation.enabled: true, or remove ${field}`, value: rotation[field] });
      }
    }
    for (const interval of intervals) {
      if (graceHours >= interval.days * 24) {
        problems.push({ path: `environments[${i}].secretRotation.gracePeriodHours`, rule: `must be shorter than the rotation interval at ${interval.path} (${interval.days} days = ${interval.days * 24} hours), or every rotation would fail`, value: graceHours });
        break;
      }
    }
    const threat = env.threatProtection;
    const tier = env.userPoolTier ?? "ESSENTIALS";
    if ((threat === "AUDIT" || threat === "ENFORCED") && tier !== "PLUS") {
      problems.push({ path: `environments[${i}].threatProtection`, rule: `needs userPoolTier "PLUS" (Cognito's threat protection is a Plus feature; the tier is "${String(tier)}")`, value: threat });
    }
  });
  clients.forEach((client, j) => {
    const own = isObject(client) && isObject(client.secretRotation) ? client.secretRotation : {};
    if (own.everyDays === undefined || rotatingSomewhere.has(j)) return;
    problems.push({
      path: `clients[${j}].secretRotation.everyDays`,
      rule: "has no effect: this client's secret rotates in no environment (rotation is off by default in development environments, and off for a disabled client): set secretRotation.enabled: true, or remove everyDays",
      value: own.everyDays,
    });
  });
}

export function crossCheck(input: unknown, options: { readonly projectRoot?: string } = {}): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isObject(input)) return problems;
  const layout = configLayout(input);
  if (layout === "single-api" && ("apis" in input || "apiFiles" in input)) {
    problems.push({ path: "(config)", rule: "holds both the one-API form (api, routes) and the several-API form (apis, apiFiles): move api and routes into apis", value: Object.keys(input) });
  }
  if (layout === "multi-api" && typeof input.apiFiles === "string" && !loadedApiFiles(input)) {
    problems.push({ path: "apiFiles", rule: "is read by the config loader (loadConfigFile), which merges the team files into apis: load this config from its file", value: input.apiFiles });
  }
  const apis = rawApis(input, layout);
  const environments = arrayOf(input.environments);
  const envNames = new Set(environments.map((e) => stringAt(e, "name")).filter((n): n is string => n !== undefined));
  checkApis(problems, input, apis, layout);
  for (const api of apis) {
    checkRoutes(problems, api, layout);
    checkBackends(problems, api.routes, api.routesAt, api.name, [...envNames], options.projectRoot);
    checkScopeIdentifierLengths(problems, api, environments);
  }
  checkEnvironments(problems, environments);
  checkUnusedSettings(problems, input, environments, apis.flatMap((a) => a.routes));
  checkClients(problems, arrayOf(input.clients), apis, layout, envNames);
  checkEnvironmentQuotas(problems, arrayOf(input.clients), environments, apis, layout);
  checkUsageLimits(problems, input, environments, apis, layout);
  checkRotationAndPlan(problems, arrayOf(input.clients), environments);
  checkEdge(problems, { environments, apiCount: apis.length, clients: arrayOf(input.clients), routeLists: apis.map((a) => ({ routes: a.routes, at: a.routesAt })), ...(options.projectRoot === undefined ? {} : { projectRoot: options.projectRoot }) });
  return problems;
}
