/**
 * Route backends in the config: each bad backend gets its own clear message (field path, rule,
 * value), all at once, before anything is built; a good one resolves into the model.
 */
import { allRoutes } from "../../model/apis";
import defaultConfig from "../fixtures/single-api.config";
import { validateConfig } from "../../model/validate";
import { problemsAfter } from "../support/config-problems";

type Mutable = Record<string, any>;


const ECHO = "__tests__/fixtures/backends/echo.ts";
/** Adds a route with a backend (index 4: the default config has four routes). */
const withRoute = (route: Mutable) => (c: Mutable) => c.routes.push({ method: "GET", scopes: ["read"], ...route });
const lambda = (backend: Mutable, route: Mutable = {}) => withRoute({ path: "/extra", backend: { type: "lambda", handler: `${ECHO}#handler`, ...backend }, ...route });
const http = (backend: Mutable, route: Mutable = {}) => withRoute({ path: "/extra", backend: { type: "http", url: "https://api.example.com/x", ...backend }, ...route });

const cases: [string, (c: Mutable) => void, string][] = [
  ["unknown backend type", withRoute({ path: "/extra", backend: { type: "sqs" } }), 'routes[4].backend.type: must be "mock", "lambda", "lambda-arn" or "http" (got "sqs")'],
  ["unknown backend field", lambda({ runtime: "nodejs18.x" }), 'routes[4].backend.runtime: is not a known field (known here: type, handler, memoryMb, timeoutSeconds, permissions, environment, reservedConcurrency) (got "nodejs18.x")'],
  ["handler without an export", lambda({ handler: "backends/payments.ts" }), 'routes[4].backend.handler: must be <file>#<export>, e.g. backends/payments.ts#handler (a .ts, .mts, .js or .mjs file) (got "backends/payments.ts")'],
  ["handler outside the project", lambda({ handler: "../elsewhere/x.ts#handler" }), 'routes[4].backend.handler: must name a file inside the project (no ..) (got "../elsewhere/x.ts#handler")'],
  ["absolute handler path", lambda({ handler: "/work/x.ts#handler" }), 'routes[4].backend.handler: must name the file relative to the project root (absolute paths make the output machine-specific) (got "/work/x.ts#handler")'],
  ["handler file missing", lambda({ handler: "backends/nope.ts#handler" }), 'routes[4].backend.handler: must name an existing file (backends/nope.ts not found, relative to the project root) (got "backends/nope.ts#handler")'],
  ["handler export missing", lambda({ handler: "backends/payments.ts#handle" }), 'routes[4].backend.handler: must name an export of backends/payments.ts (it exports handler, parsePayment) (got "backends/payments.ts#handle")'],
  ["lambda timeout beyond API Gateway's 29 s", lambda({ timeoutSeconds: 30 }), "routes[4].backend.timeoutSeconds: must be from 1 to 29 seconds (API Gateway stops waiting after 29 s) (got 30)"],
  ["lambda memory", lambda({ memoryMb: 64 }), "routes[4].backend.memoryMb: must be from 128 to 10240 MB (got 64)"],
  ["reserved concurrency zero", lambda({ reservedConcurrency: { prod: 0 } }), 'routes[4].backend.reservedConcurrency.prod: must be at least 1 (0 would stop the function; leave it out to reserve nothing) (got 0)'],
  ["reserved concurrency beyond the default quota", lambda({ reservedConcurrency: { prod: 5000 } }), "routes[4].backend.reservedConcurrency.prod: must be at most 1000 (Lambda's default account quota; the account keeps 100 unreserved) (got 5000)"],
  ["reserved concurrency not a whole number", lambda({ reservedConcurrency: { prod: 2.5 } }), "routes[4].backend.reservedConcurrency.prod: must be a whole number (got 2.5)"],
  ["reserved concurrency for an unknown environment", lambda({ reservedConcurrency: { production: 10 } }), 'routes[4].backend.reservedConcurrency["production"]: must name an environment of the config (dev, prod) (got "production")'],
  ["permission with a wildcard action", lambda({ permissions: [{ actions: ["dynamodb:*"], resources: ["arn:aws:dynamodb:eu-west-1:123456789012:table/t"] }] }), 'routes[4].backend.permissions[0].actions[0]: must be one IAM action such as dynamodb:GetItem (no wildcards: least privilege) (got "dynamodb:*")'],
  ["permission on every resource", lambda({ permissions: [{ actions: ["dynamodb:GetItem"], resources: ["*"] }] }), 'routes[4].backend.permissions[0].resources[0]: must be an ARN (not a bare *: least privilege) (got "*")'],
  ["secret in the environment", lambda({ environment: { DB_PASSWORD: "hunter2" } }), 'routes[4].backend.environment["DB_PASSWORD"]: must not hold a secret (environment variables are plain text in the synthesized JSON, the state and the function\'s configuration): read it from Secrets Manager at run time (got "DB_PASSWORD")'],
  ["reserved environment name", lambda({ environment: { AWS_REGION: "eu-west-1" } }), 'routes[4].backend.environment["AWS_REGION"]: must not be a name Lambda reserves (AWS_*, LAMBDA_*, _HANDLER, _X_AMZN_TRACE_ID) (got "AWS_REGION")'],
  ["response on a lambda route", lambda({}, { response: { status: 200 } }), 'routes[4].response: is what a mock backend answers: a lambda backend answers for itself (remove response) (got {"status":200})'],
  [
    "two routes, one function, different settings",
    (c) => { lambda({ memoryMb: 512 })(c); c.routes.push({ method: "POST", path: "/extra", scopes: ["write"], backend: { type: "lambda", handler: `${ECHO}#handler`, memoryMb: 1024 } }); },
    "routes[5].backend.memoryMb: must match routes[4].backend.memoryMb (512): both routes use __tests__/fixtures/backends/echo.ts#handler, which is one function (got 1024)",
  ],
  ["malformed function ARN", withRoute({ path: "/extra", backend: { type: "lambda-arn", functionArn: "arn:aws:lambda:eu-west-1:1234:function:x" } }), 'routes[4].backend.functionArn: must be a Lambda function ARN, arn:aws:lambda:<region>:<12-digit account>:function:<name>[:<alias or version>] (got "arn:aws:lambda:eu-west-1:1234:function:x")'],
  ["plain http upstream", http({ url: "http://api.example.com/x" }), 'routes[4].backend.url: must use https (plain http would carry the caller\'s identity headers and data unencrypted) (got "http://api.example.com/x")'],
  ["relative URL", http({ url: "/x" }), 'routes[4].backend.url: must be an absolute URL such as https://orders.example.com/v1/orders/{id} (got "/x")'],
  ["credentials in the URL", http({ url: "https://user:pw@api.example.com/x" }), 'routes[4].backend.url: must not carry credentials (user:password@): they would be in the synthesized JSON (got "https://user:pw@api.example.com/x")'],
  ["query string in the URL", http({ url: "https://api.example.com/x?key=1" }), 'routes[4].backend.url: must not have a query string (the caller\'s query string is passed on) (got "https://api.example.com/x?key=1")'],
  ["placeholder that is no path parameter", http({ url: "https://api.example.com/orders/{orderId}" }, { path: "/extra/{id}" }), 'routes[4].backend.url: placeholder {orderId} must name a path parameter of the route: id (got "https://api.example.com/orders/{orderId}")'],
  ["local URL off this machine", http({ localUrl: "http://10.0.0.5:8080/x" }), 'routes[4].backend.localUrl: must point at this machine (127.0.0.1, [::1] or localhost): it is where the offline environment sends the request (got "http://10.0.0.5:8080/x")'],
  ["HTTP timeout beyond 29 s", http({ timeoutMs: 30000 }), "routes[4].backend.timeoutMs: must be from 50 to 29000 ms (API Gateway's integration timeout) (got 30000)"],
];

describe("backend problems", () => {
  it("refuses a handler whose function would take the scope checker's name, besides its missing file", () => {
    expect(problemsAfter(lambda({ handler: "backends/scope-checker.ts#handler" }))).toEqual([
      'routes[4].backend.handler: must name an existing file (backends/scope-checker.ts not found, relative to the project root) (got "backends/scope-checker.ts#handler")',
      'routes[4].backend.handler: makes the function name part "scope-checker", which the scope checker\'s function and role use; rename the file or the export (got "backends/scope-checker.ts#handler")',
    ]);
  });

  it("refuses a function name over Lambda's 64 characters, per environment", () => {
    expect(problemsAfter((c) => { c.api.name = "a-very-long-api-name-abc"; lambda({ handler: `${ECHO}#malformed` })(c); })).toEqual([
      'routes[4].backend.handler: makes the 67-character function name a-very-long-api-name-abc-dev-tests-fixtures-backends-echo-malformed in environment dev (Lambda allows 64): shorten the file or export name (got "__tests__/fixtures/backends/echo.ts#malformed")',
      'routes[4].backend.handler: makes the 68-character function name a-very-long-api-name-abc-prod-tests-fixtures-backends-echo-malformed in environment prod (Lambda allows 64): shorten the file or export name (got "__tests__/fixtures/backends/echo.ts#malformed")',
    ]);
  });

  it.each(cases)("%s", (_name, mutate, expected) => {
    expect(problemsAfter(mutate)).toEqual([expected]);
  });

  it("reports every backend problem at once, with the others", () => {
    const problems = problemsAfter((c) => {
      http({ url: "http://a.example.com" })(c);
      c.routes.push({ method: "GET", path: "/more", scopes: ["nope"], backend: { type: "lambda", handler: "backends/payments.ts#nope", timeoutSeconds: 60 } });
    });
    expect(problems).toHaveLength(4);
  });
});

describe("resolved backends", () => {
  it("mock by default; one function per handler, shared by routes, with defaults", () => {
    const model = validateConfig({
      ...defaultConfig,
      routes: [
        ...defaultConfig.routes,
        { method: "GET", path: "/echo", scopes: ["read"], backend: { type: "lambda", handler: `${ECHO}#handler`, timeoutSeconds: 5 } },
        { method: "POST", path: "/echo", scopes: ["write"], backend: { type: "lambda", handler: `./${ECHO}#handler` } },
        { method: "GET", path: "/orders/{id}", scopes: ["read"], backend: { type: "http", url: "https://o.example.com/orders/{id}" } },
      ],
    });
    expect(allRoutes(model).map((r) => r.backend)).toEqual([
      { type: "mock" }, { type: "mock" }, { type: "mock" },
      { type: "lambda", functionKey: "payments" },
      { type: "lambda", functionKey: "tests-fixtures-backends-echo" },
      { type: "lambda", functionKey: "tests-fixtures-backends-echo" },
      { type: "http", url: "https://o.example.com/orders/{id}", timeoutMs: 29000 },
    ]);
    expect(model.apis[0]!.backendFunctions).toEqual([
      { api: "m2m-demo-api", key: "payments", file: "backends/payments.ts", exportName: "handler", memoryMb: 256, timeoutSeconds: 10, permissions: [], environment: {}, reservedConcurrency: {} },
      { api: "m2m-demo-api", key: "tests-fixtures-backends-echo", file: ECHO, exportName: "handler", memoryMb: 256, timeoutSeconds: 5, permissions: [], environment: {}, reservedConcurrency: {} },
    ]);
  });
});
