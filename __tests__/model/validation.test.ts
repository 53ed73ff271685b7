/** Bad configs: each gets its own clear message (field path, rule, value), all problems at once. */
import defaultConfig from "../fixtures/single-api.config";
import type { M2MConfigInput } from "../../model/config-types";
import { problemsAfter } from "../support/config-problems";
import { validateConfig } from "../../model/validate";

type Mutable = { -readonly [K in keyof any]: any } & Record<string, any>;


test("the default config is valid", () => {
  expect(problemsAfter(() => {})).toEqual([]);
});

const cases: [string, (c: Mutable) => void, string][] = [
  ["unknown scope on a route", (c) => (c.routes[1].scopes = ["reed"]), 'routes[1].scopes[0]: must name a scope defined in api.scopes (hello-world, read, write, payments.read, payments.write); did you mean "read"? (got "reed")'],
  ["unknown scope on a client", (c) => c.clients[0].scopes.push("admin"), 'clients[0].scopes[1]: must name a scope defined in api.scopes (hello-world, read, write, payments.read, payments.write) (got "admin")'],
  ["duplicate client", (c) => c.clients.push({ name: "reader", scopes: ["read"] }), 'clients[4].name: client name must be unique (also at clients[1].name) (got "reader")'],
  ["duplicate route", (c) => c.routes.push({ method: "GET", path: "/premium/", scopes: ["read"] }), 'routes[4]: method and path must be unique (also at routes[1]) (got "GET /premium")'],
  ["duplicate scope", (c) => c.api.scopes.push({ name: "read", description: "again" }), 'api.scopes[5].name: scope name must be unique (also at api.scopes[1].name) (got "read")'],
  ["duplicate scope within a client", (c) => (c.clients[2].scopes = ["read", "read"]), 'clients[2].scopes[1]: scope must be unique (also at clients[2].scopes[0]) (got "read")'],
  ["bad path segment", (c) => (c.routes[0].path = "/hello world"), 'routes[0].path: segment "hello world" has a character API Gateway does not allow in a path (letters, digits, ".", "_" and "-" only) (got "/hello world")'],
  ["path segment with a wildcard character", (c) => (c.routes[0].path = "/files/*"), 'routes[0].path: segment "*" has a character API Gateway does not allow in a path (letters, digits, ".", "_" and "-" only) (got "/files/*")'],
  ["path without leading slash", (c) => (c.routes[0].path = "hello"), 'routes[0].path: must start with / (got "hello")'],
  ["partial parameter segment", (c) => (c.routes[0].path = "/orders/id-{id}"), 'routes[0].path: segment "id-{id}" must be a literal or a whole {param} segment (got "/orders/id-{id}")'],
  ["greedy segment not last", (c) => (c.routes[0].path = "/files/{proxy+}/meta"), 'routes[0].path: greedy segment "{proxy+}" must be the last segment (got "/files/{proxy+}/meta")'],
  ["conflicting parameter names", (c) => c.routes.push({ method: "GET", path: "/premium/{id}", scopes: ["read"] }, { method: "PUT", path: "/premium/{itemId}", scopes: ["write"] }), 'routes[5].path: path parameter {itemId} conflicts with {id} at the same position (from routes[4].path); API Gateway allows one name per position (got "/premium/{itemId}")'],
  ["scope-name charset", (c) => (c.api.scopes[0].name = "hello world"), 'api.scopes[0].name: must be 1–256 printable ASCII characters without space, ", / or \\ (Cognito scope name) (got "hello world")'],
  ["scope name with a slash", (c) => (c.api.scopes[0].name = "a/b"), 'api.scopes[0].name: must be 1–256 printable ASCII characters without space, ", / or \\ (Cognito scope name) (got "a/b")'],
  ["domain prefix uppercase", (c) => (c.environments[0].domainPrefix = "M2M-Dev"), 'environments[0].domainPrefix: must be 1–63 lowercase letters, digits or hyphens, not starting or ending with a hyphen (Cognito domain prefix) (got "M2M-Dev")'],
  ["domain prefix reserved word", (c) => (c.environments[0].domainPrefix = "acme-cognito-dev"), 'environments[0].domainPrefix: must not contain "aws", "amazon" or "cognito" (reserved by Cognito) (got "acme-cognito-dev")'],
  ["domain prefix not unique per region", (c) => (c.environments[1].domainPrefix = "m2m-demo-dev"), 'environments[1].domainPrefix: domain prefix per region must be unique (also at environments[0].domainPrefix) (got "m2m-demo-dev in eu-west-1")'],
  ["stage name", (c) => (c.environments[0].stageName = "v1.0"), 'environments[0].stageName: must be 1–128 letters, digits, hyphens or underscores (API Gateway stage name) (got "v1.0")'],
  ["token validity too short", (c) => (c.clients[0].accessTokenValidity = { value: 4, unit: "minutes" }), 'clients[0].accessTokenValidity: must be from 5 minutes to 1 day (Cognito access-token validity) (got {"value":4,"unit":"minutes"})'],
  ["token validity too long", (c) => (c.clients[0].accessTokenValidity = { value: 25, unit: "hours" }), 'clients[0].accessTokenValidity: must be from 5 minutes to 1 day (Cognito access-token validity) (got {"value":25,"unit":"hours"})'],
  ["token validity unit", (c) => (c.clients[0].accessTokenValidity = { value: 1, unit: "weeks" }), 'clients[0].accessTokenValidity.unit: must be one of "seconds", "minutes", "hours", "days" (got "weeks")'],
  ["token validity in an override", (c) => (c.clients[1].overrides = { prod: { accessTokenValidity: { value: 2, unit: "days" } } }), 'clients[1].overrides["prod"].accessTokenValidity: must be from 5 minutes to 1 day (Cognito access-token validity) (got {"value":2,"unit":"days"})'],
  ["override for an unknown environment", (c) => (c.clients[1].overrides = { staging: { disabled: true } }), 'clients[1].overrides["staging"]: must name an environment this client exists in (got "staging")'],
  ["client in an unknown environment", (c) => (c.clients[1].environments = ["qa"]), 'clients[1].environments[0]: must name an environment defined in environments (got "qa")'],
  ["too many scopes per client (quota 50)", (c) => {
    for (let i = 0; i < 51; i++) c.api.scopes.push({ name: `s${i}`, description: "d" });
    c.clients[0].scopes = c.api.scopes.slice(5).map((s: { name: string }) => s.name);
  }, 'clients[0].scopes: must allow at most 50 scopes (Cognito quota per app client) (got "51 scopes")'],
  ["too many scopes per resource server (quota 100)", (c) => {
    for (let i = 0; i < 96; i++) c.api.scopes.push({ name: `s${i}`, description: "d" });
  }, 'api.scopes: must define at most 100 scopes (Cognito quota per resource server) (got "101 scopes")'],
  ["too many clients per pool (quota 1,000)", (c) => {
    for (let i = 0; i < 997; i++) c.clients.push({ name: `c${i}`, scopes: ["read"] });
    c.routes = c.routes.filter((r: { authorizer?: string }) => r.authorizer !== "scope-checker");
  }, 'environments[0]: must have at most 1000 clients (Cognito app clients per user pool) (got "1001 clients")'],
  ["route without scopes", (c) => (c.routes[0].scopes = []), "routes[0].scopes: must require at least one scope (a route without scopes would accept only ID tokens) (got [])"],
  ["unknown authorizer", (c) => (c.routes[0].authorizer = "lambda"), 'routes[0].authorizer: must be one of "cognito", "scope-checker" (got "lambda")'],
  ["unknown method", (c) => (c.routes[0].method = "FETCH"), 'routes[0].method: must be one of "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY" (got "FETCH")'],
  ["mock status out of range", (c) => (c.routes[0].response.status = 700), "routes[0].response.status: must be an HTTP status from 200 to 599 (got 700)"],
  ["mock body with template syntax", (c) => (c.routes[0].response.body = { price: "$5" }), 'routes[0].response.body: must not contain $ or # (API Gateway mapping templates would evaluate them) (got {"price":"$5"})'],
  ["misspelled field: the nearest known name", (c) => (c.clients[0].scope = ["read"]), 'clients[0].scope: is not a known field; did you mean "scopes"? (got ["read"])'],
  ["misspelled field: swapped letters", (c) => (c.api.nmae = "x"), 'api.nmae: is not a known field; did you mean "name"? (got "x")'],
  ["misspelled field: other case", (c) => (c.environments[0].StageName = "dev"), 'environments[0].StageName: is not a known field; did you mean "stageName"? (got "dev")'],
  ["misspelled field inside the S3 backend (the union member chosen by type)", (c) => (c.environments[0].backend = { type: "s3", bucket: "acme-state", key: "k", region: "eu-west-1", dynamoTable: "locks" }), 'environments[0].backend.dynamoTable: is not a known field; did you mean "dynamodbTable"? (got "locks")'],
  ["unknown field far from any name: the known ones listed", (c) => (c.api.colour = "blue"), 'api.colour: is not a known field (known here: name, resourceServerName, scopes) (got "blue")'],
  ["tag the default tags would override", (c) => (c.environments[0].tags = { Environment: "staging" }), "environments[0].tags.Environment: is set by the project's default tags (Project, Api, Environment, ManagedBy) and would be overridden: choose another key (got \"staging\")"],
  ["missing field", (c) => delete c.environments[0].region, "environments[0].region: is required (got nothing)"],
  ["wrong type", (c) => (c.environments[0].deletionProtection = "yes"), 'environments[0].deletionProtection: must be a boolean (got "yes")'],
  ["region format", (c) => (c.environments[0].region = "europe"), 'environments[0].region: must be an AWS region code such as eu-west-1 (got "europe")'],
  ["region that does not exist", (c) => (c.environments[0].region = "eu-north-9"), 'environments[0].region: must be a region in the AWS SDK\'s region list (@aws-sdk/core); nearest: eu-north-1 (got "eu-north-9")'],
  ["region outside the aws partition", (c) => (c.environments[1].region = "cn-north-1"), 'environments[1].region: must be a region of the aws partition: the stacks build aws ARNs and amazonaws.com / amazoncognito.com URLs (this region is in aws-cn) (got "cn-north-1")'],
  ["GovCloud region", (c) => (c.environments[0].region = "us-gov-west-1"), 'environments[0].region: must be a region of the aws partition: the stacks build aws ARNs and amazonaws.com / amazoncognito.com URLs (this region is in aws-us-gov) (got "us-gov-west-1")'],
  ["S3 backend region that does not exist", (c) => (c.environments[1].backend.region = "eu-wset-1"), 'environments[1].backend.region: must be a region in the AWS SDK\'s region list (@aws-sdk/core); nearest: eu-west-1 (got "eu-wset-1")'],
  ["alarm emails that name one subscription twice", (c) => (c.environments[1].alarms = { emails: ["ops@example.com", "Ops@Example.com"] }), 'environments[1].alarms.emails[1]: alarm subscription (addresses compare case-insensitively) must be unique (also at environments[1].alarms.emails[0]) (got "Ops@Example.com")'],
  ["absolute local state path", (c) => (c.environments[0].backend = { type: "local", path: "/var/state/dev.tfstate" }), 'environments[0].backend.path: must be a relative path (absolute paths make the output machine-specific) (got "/var/state/dev.tfstate")'],
  ["unknown backend type", (c) => (c.environments[0].backend = { type: "gcs" }), 'environments[0].backend.type: must be "local" or "s3" (got "gcs")'],
  ["two environments sharing one S3 state", (c) => {
    c.environments[0].backend = { type: "s3", bucket: "acme-state", key: "m2m.tfstate", region: "eu-west-1" };
    c.environments[1].backend = { type: "s3", bucket: "acme-state", key: "m2m.tfstate", region: "eu-west-1" };
  }, "environments[1].backend: state location (two environments would overwrite each other's state) must be unique (also at environments[0].backend) (got \"s3://acme-state/m2m.tfstate\")"],
  ["environment name", (c) => (c.environments[0].name = "Dev_1"), 'environments[0].name: must be 1–20 lowercase letters, digits or hyphens, not starting or ending with a hyphen (got "Dev_1")'],
  ["scope checker TTL", (c) => (c.scopeChecker = { resultTtlSeconds: 7200 }), "scopeChecker.resultTtlSeconds: must be from 0 to 3600 seconds (got 7200)"],
  ["log retention not a CloudWatch value", (c) => (c.environments[0].logRetentionDays = 10), "environments[0].logRetentionDays: must be one of CloudWatch's retention values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) (got 10)"],
  ["burst below rate", (c) => (c.environments[1].throttling = { rateLimit: 50, burstLimit: 20 }), "environments[1].throttling.burstLimit: must be at least rateLimit (50) (got 20)"],
  ["route throttling rate not positive", (c) => (c.routes[0].throttling = { rateLimit: 0, burstLimit: 5 }), "routes[0].throttling.rateLimit: must be positive (requests per second) (got 0)"],
  ["source IP not a CIDR", (c) => (c.environments[1].allowedSourceIps = ["203.0.113.7", "198.51.100.0/24"]), 'environments[1].allowedSourceIps[0]: must be an IPv4 or IPv6 CIDR such as 203.0.113.0/24 (got "203.0.113.7")'],
  ["WAF rate limit below AWS's minimum", (c) => (c.environments[1].waf = { rateLimitPer5Minutes: 5 }), "environments[1].waf.rateLimitPer5Minutes: must be at least 10 (AWS WAF's minimum) (got 5)"],
  ["alarm email", (c) => (c.environments[1].alarms = { emails: ["ops-at-example.com"] }), 'environments[1].alarms.emails[0]: must be an email address (got "ops-at-example.com")'],
  ["reserved concurrency zero", (c) => (c.environments[1].scopeChecker = { reservedConcurrency: 0 }), "environments[1].scopeChecker.reservedConcurrency: must be at least 1 (0 would stop the checker; leave it out to reserve nothing) (got 0)"],
  ["reserved concurrency text", (c) => (c.environments[1].scopeChecker = { reservedConcurrency: "100" }), 'environments[1].scopeChecker.reservedConcurrency: must be a number (got "100")'],
  ["environment kind", (c) => (c.environments[1].kind = "prod"), 'environments[1].kind: must be one of "development", "production" (got "prod")'],
  ["route throttling on the root path", (c) => c.routes.push({ method: "GET", path: "/", scopes: ["read"], throttling: { rateLimit: 1, burstLimit: 2 } }), "routes[4].throttling: must not be set on the root path / (a stage's method settings cannot address it); the environment's throttling applies (got {\"rateLimit\":1,\"burstLimit\":2})"],
  ["tag key reserved by AWS", (c) => (c.environments[0].tags = { "aws:team": "x" }), 'environments[0].tags["aws:team"]: must not start with "aws:" (reserved by AWS) (got "aws:team")'],
  ["local state inside cdktf.out (synth would delete it)", (c) => (c.environments[0].backend = { type: "local", path: "state/dev.tfstate" }), 'environments[0].backend.path: must point outside cdktf.out/ (it is relative to cdktf.out/stacks/<env>, which synth rewrites; e.g. ../../../terraform.<env>.tfstate) (got "state/dev.tfstate")'],
  ["two environments sharing one local state file", (c) => (c.environments[0].backend = { type: "local", path: "../../../shared.tfstate" }, c.environments[1].backend = { type: "local", path: "../../../shared.tfstate" }), "environments[1].backend: state location (two environments would overwrite each other's state) must be unique (also at environments[0].backend) (got \"local shared.tfstate\")"],
  ["scope identifier over 256 characters", (c) => (c.api.scopes[0].name = "s".repeat(200), c.routes[0].scopes = ["s".repeat(200)], c.clients[0].scopes = ["s".repeat(200)]), `api.scopes[0].name: makes a 259-character scope identifier in environment dev (<invoke URL>/<name>; Cognito allows 256): shorten the scope or the stage name (got "${"s".repeat(74)}...")`],
];

test.each(cases)("%s", (_name, mutate, expected) => {
  expect(problemsAfter(mutate)).toContain(expected);
});

test("every problem is reported at once, schema and cross-field alike", () => {
  const problems = problemsAfter((c) => {
    c.environments[0].region = "mars";
    c.environments[0].domainPrefix = "amazon-dev";
    c.routes[1].scopes = ["nope"];
    c.clients[0].accessTokenValidity = { value: 1, unit: "minutes" };
    c.clients.push({ name: "reader", scopes: ["read"] });
  });
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^environments\[0\]\.region: /),
      expect.stringMatching(/^environments\[0\]\.domainPrefix: must not contain/),
      expect.stringMatching(/^routes\[1\]\.scopes\[0\]: /),
      expect.stringMatching(/^clients\[0\]\.accessTokenValidity: /),
      expect.stringMatching(/^clients\[4\]\.name: /),
    ]),
  );
  expect(problems).toHaveLength(5);
});

test("the error message lists every problem, one per line", () => {
  const config = structuredClone(defaultConfig) as unknown as Mutable;
  config.environments[0].stageName = "a b";
  config.routes[0].scopes = ["x"];
  expect(() => validateConfig(config as M2MConfigInput)).toThrow(
    'invalid config: 2 problems\n  environments[0].stageName: must be 1–128 letters, digits, hyphens or underscores (API Gateway stage name) (got "a b")\n  routes[0].scopes[0]: must name a scope defined in api.scopes (hello-world, read, write, payments.read, payments.write) (got "x")',
  );
});

test("defaults are applied and per-environment overrides resolved", () => {
  const config = structuredClone(defaultConfig) as unknown as Mutable;
  config.clients[1].overrides = { prod: { disabled: true, accessTokenValidity: { value: 10, unit: "minutes" } } };
  config.clients[2].environments = ["dev"];
  const model = validateConfig(config);
  const [dev, prod] = model.environments;
  expect(dev!.clients.find((c) => c.name === "reader")).toMatchObject({ disabled: false, accessTokenValidity: { value: 60, unit: "minutes" } });
  expect(prod!.clients.find((c) => c.name === "reader")).toMatchObject({ disabled: true, accessTokenValidity: { value: 10, unit: "minutes" } });
  expect(prod!.clients.map((c) => c.name)).toEqual(["3rd-party", "reader", "billing"]);
  expect(model.apis[0]!.routes[0]).toMatchObject({ api: "m2m-demo-api", authorizer: "cognito", key: "get_hello-world" });
  expect(model.scopeChecker).toEqual({ resultTtlSeconds: 300, memoryMb: 256, timeoutSeconds: 5 });
  expect(dev).toMatchObject({ kind: "development", deletionProtection: false, throttling: { rateLimit: 10, burstLimit: 20 }, logRetentionDays: 14, accessLogs: { enabled: false, manageAccountRole: false }, waf: { enabled: false }, alarms: { enabled: false }, allowedSourceIps: [] });
  expect(prod).toMatchObject({ kind: "production", deletionProtection: true, throttling: { rateLimit: 100, burstLimit: 200 }, logRetentionDays: 365, accessLogs: { enabled: true }, waf: { enabled: true, rateLimitPer5Minutes: 1000 }, alarms: { enabled: true } });
});

test("regions come from the AWS SDK's partition data (@aws-sdk/core), not a list of our own", () => {
  const { knownRegions, nearestRegion, partitionOf } = require("../../model/aws-regions") as typeof import("../../model/aws-regions");
  expect(knownRegions().size).toBeGreaterThan(30);
  expect([partitionOf("eu-north-1"), partitionOf("cn-northwest-1"), partitionOf("us-gov-east-1"), partitionOf("eu-north-9")]).toEqual(["aws", "aws-cn", "aws-us-gov", undefined]);
  expect([...knownRegions().keys()].filter((r) => r.endsWith("-global"))).toEqual([]);
  // Every listed region has the form the schema accepts (else the form rule would hide the real one).
  const { NAMING } = require("../../model/aws-limits") as typeof import("../../model/aws-limits");
  expect([...knownRegions().keys()].filter((r) => !NAMING.region.test(r))).toEqual(["eusc-de-east-1"]);
  expect(nearestRegion("us-esat-1")).toBe("us-east-1");
});
