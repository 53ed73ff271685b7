/**
 * The route backends: the rules that relate a backend to its route and to other routes
 * (handler file and export, URLs and their placeholders, one function's settings agreeing
 * across the routes that share it, name lengths), and their resolution into the model's
 * functions. The checks run on the raw input alongside the schema, so one run reports all.
 */
import {
  backendFunctionName,
  backendUrlProblem,
  functionKeyOf,
  LAMBDA_BACKEND_DEFAULTS,
  LAMBDA_FUNCTION_NAME_MAX,
  parseHandlerRef,
  pathParameterNames,
  RESERVED_ENVIRONMENT_NAME,
  isSecretLikeName,
  urlPlaceholders,
  INTEGRATION_TIMEOUT_MAX_MS,
} from "./backends";
import { QUOTAS } from "./aws-limits";
import type { ParsedRoute } from "./config-schema";
import { handlerFileFacts } from "./handler-exports";
import type { BackendFunction, RouteBackend } from "./model-types";
import type { ConfigProblem } from "./problems";

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/** The scope checker is `<api>-<env>-scope-checker`: no backend may take its name. */
const RESERVED_FUNCTION_KEY = "scope-checker";

/** The settings of one function that routes sharing it must agree on. */
const SHARED_SETTINGS = ["memoryMb", "timeoutSeconds", "permissions", "environment", "reservedConcurrency"] as const;

function checkHandler(problems: ConfigProblem[], at: string, handler: unknown, projectRoot: string | undefined): { file: string; exportName: string } | undefined {
  if (typeof handler !== "string") return undefined;
  const ref = parseHandlerRef(handler);
  if ("problem" in ref) {
    problems.push({ path: at, rule: ref.problem, value: handler });
    return undefined;
  }
  const facts = handlerFileFacts(ref.file, projectRoot);
  if (facts.kind === "missing") {
    problems.push({ path: at, rule: `must name an existing file (${ref.file} not found, relative to the project root)`, value: handler });
  } else if (facts.kind === "unbuildable") {
    problems.push({ path: at, rule: `must name a file esbuild can bundle (${facts.problem})`, value: handler });
  } else if (!facts.exports.includes(ref.exportName)) {
    const exported = facts.exports.length > 0 ? facts.exports.join(", ") : "nothing";
    problems.push({ path: at, rule: `must name an export of ${ref.file} (it exports ${exported})`, value: handler });
  }
  return ref;
}

function checkEnvironmentVariables(problems: ConfigProblem[], at: string, environment: unknown): void {
  if (!isObject(environment)) return;
  for (const name of Object.keys(environment)) {
    const path = `${at}[${JSON.stringify(name)}]`;
    if (RESERVED_ENVIRONMENT_NAME.test(name)) problems.push({ path, rule: "must not be a name Lambda reserves (AWS_*, LAMBDA_*, _HANDLER, _X_AMZN_TRACE_ID)", value: name });
    else if (isSecretLikeName(name)) problems.push({ path, rule: "must not hold a secret (environment variables are plain text in the synthesized JSON, the state and the function's configuration): read it from Secrets Manager at run time", value: name });
  }
  const bytes = Object.entries(environment).reduce((n, [k, v]) => n + k.length + (typeof v === "string" ? Buffer.byteLength(v) : 0), 0);
  if (bytes > QUOTAS.lambdaEnvironmentBytes) problems.push({ path: at, rule: "must fit Lambda's 4 KB of environment variables", value: `${bytes} bytes` });
}

function checkHttpBackend(problems: ConfigProblem[], at: string, backend: Raw, routePath: unknown): void {
  const params = typeof routePath === "string" ? new Set(pathParameterNames(routePath)) : undefined;
  for (const [field, loopback] of [["url", false], ["localUrl", true]] as const) {
    const url = backend[field];
    if (typeof url !== "string") continue;
    const problem = backendUrlProblem(url, loopback);
    if (problem) {
      problems.push({ path: `${at}.${field}`, rule: problem, value: url });
      continue;
    }
    if (params === undefined) continue;
    for (const name of urlPlaceholders(url)) {
      if (!params.has(name)) {
        const known = params.size > 0 ? `: ${[...params].join(", ")}` : "; it has none";
        problems.push({ path: `${at}.${field}`, rule: `placeholder {${name}} must name a path parameter of the route${known}`, value: url });
      }
    }
  }
}

/** Backend rules; `apiName` and `environmentNames` bound the function names; handler files are looked up under `projectRoot` (default: this checkout). */
export function checkBackends(problems: ConfigProblem[], routes: readonly unknown[], routesAt: string, apiName: string | undefined, environmentNames: readonly string[], projectRoot?: string): void {
  /** Handler `file#export` -> the first route of each setting that set it. */
  const functions = new Map<string, { key: string; settings: Map<string, { path: string; value: string }> }>();
  const keys = new Map<string, { handler: string; path: string }>();
  routes.forEach((route, i) => {
    if (!isObject(route) || !isObject(route.backend)) return;
    const backend = route.backend;
    const at = `${routesAt}[${i}].backend`;
    if (route.response !== undefined && backend.type !== "mock") {
      problems.push({ path: `${routesAt}[${i}].response`, rule: `is what a mock backend answers: a ${String(backend.type)} backend answers for itself (remove response)`, value: route.response });
    }
    if (backend.type === "http") checkHttpBackend(problems, at, backend, route.path);
    if (backend.type !== "lambda") return;

    const ref = checkHandler(problems, `${at}.handler`, backend.handler, projectRoot);
    checkEnvironmentVariables(problems, `${at}.environment`, backend.environment);
    if (isObject(backend.reservedConcurrency)) {
      for (const name of Object.keys(backend.reservedConcurrency)) {
        if (!environmentNames.includes(name)) {
          problems.push({ path: `${at}.reservedConcurrency[${JSON.stringify(name)}]`, rule: `must name an environment of the config (${environmentNames.join(", ")})`, value: name });
        }
      }
    }
    if (!ref) return;
    const handler = `${ref.file}#${ref.exportName}`;
    const key = functionKeyOf(ref);
    const sameKey = keys.get(key);
    if (key === RESERVED_FUNCTION_KEY) {
      problems.push({ path: `${at}.handler`, rule: `makes the function name part "${key}", which the scope checker's function and role use; rename the file or the export`, value: backend.handler });
    } else if (sameKey && sameKey.handler !== handler) {
      problems.push({ path: `${at}.handler`, rule: `makes the function name part "${key}", as ${sameKey.handler} does (at ${sameKey.path}); rename the file or the export`, value: backend.handler });
    } else if (!sameKey) keys.set(key, { handler, path: `${at}.handler` });

    let fn = functions.get(handler);
    if (!fn) {
      fn = { key, settings: new Map() };
      functions.set(handler, fn);
      for (const env of environmentNames) {
        if (apiName === undefined) break;
        const name = backendFunctionName(apiName, env, key);
        if (name.length > LAMBDA_FUNCTION_NAME_MAX) {
          problems.push({ path: `${at}.handler`, rule: `makes the ${name.length}-character function name ${name} in environment ${env} (Lambda allows ${LAMBDA_FUNCTION_NAME_MAX}): shorten the file or export name`, value: backend.handler });
        }
      }
    }
    // Routes sharing a handler share one function: a setting given twice must say the same.
    for (const setting of SHARED_SETTINGS) {
      if (backend[setting] === undefined) continue;
      const value = JSON.stringify(backend[setting]);
      const first = fn.settings.get(setting);
      if (!first) fn.settings.set(setting, { path: `${at}.${setting}`, value });
      else if (first.value !== value) {
        problems.push({ path: `${at}.${setting}`, rule: `must match ${first.path} (${first.value}): both routes use ${handler}, which is one function`, value: backend[setting] });
      }
    }
  });
}

/** The resolved backend of each route (by index) and the functions they name, in first-use order. */
export function resolveBackends(api: string, routes: readonly ParsedRoute[]): { routeBackends: RouteBackend[]; functions: BackendFunction[] } {
  const functions = new Map<string, { file: string; exportName: string; key: string; memoryMb?: number; timeoutSeconds?: number; permissions?: BackendFunction["permissions"]; environment?: Readonly<Record<string, string>>; reservedConcurrency?: Readonly<Record<string, number>> }>();
  const routeBackends = routes.map((route): RouteBackend => {
    const backend = route.backend;
    if (backend === undefined || backend.type === "mock") return { type: "mock" };
    if (backend.type === "lambda-arn") return { type: "lambda-arn", functionArn: backend.functionArn };
    if (backend.type === "http") {
      return { type: "http", url: backend.url, timeoutMs: backend.timeoutMs ?? INTEGRATION_TIMEOUT_MAX_MS, ...(backend.localUrl === undefined ? {} : { localUrl: backend.localUrl }) };
    }
    const ref = parseHandlerRef(backend.handler);
    if ("problem" in ref) throw new Error(`resolveBackends: unchecked handler ${backend.handler}`);
    const id = `${ref.file}#${ref.exportName}`;
    const fn = functions.get(id) ?? { ...ref, key: functionKeyOf(ref) };
    functions.set(id, {
      ...fn,
      memoryMb: fn.memoryMb ?? backend.memoryMb,
      timeoutSeconds: fn.timeoutSeconds ?? backend.timeoutSeconds,
      permissions: fn.permissions ?? backend.permissions,
      environment: fn.environment ?? backend.environment,
      reservedConcurrency: fn.reservedConcurrency ?? backend.reservedConcurrency,
    });
    return { type: "lambda", functionKey: fn.key };
  });
  return {
    routeBackends,
    functions: [...functions.values()].map((f) => ({
      api,
      key: f.key,
      file: f.file,
      exportName: f.exportName,
      memoryMb: f.memoryMb ?? LAMBDA_BACKEND_DEFAULTS.memoryMb,
      timeoutSeconds: f.timeoutSeconds ?? LAMBDA_BACKEND_DEFAULTS.timeoutSeconds,
      permissions: f.permissions ?? [],
      environment: f.environment ?? {},
      reservedConcurrency: f.reservedConcurrency ?? {},
    })),
  };
}
