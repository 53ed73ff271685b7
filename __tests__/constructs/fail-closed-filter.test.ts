/**
 * The fail-closed alarm counts the scope checker's own log lines through a metric filter. The
 * filter is evaluated here against the exact log event the Node.js runtime writes for what the
 * checker hands to `console.log`, in the log format the synthesized function sets.
 */
import { logDecision, logJwksRefresh, logSetupFailure } from "../../lambdas/scope-checker/decision-log";
import { filterPatternMatches } from "../support/cloudwatch-filter-pattern";
import { lambdaLogLine, logFormatOf } from "../support/lambda-log-line";
import { resourceOf, synthDefault } from "../support/synth";

const { prod } = synthDefault();
const pattern = resourceOf(prod!, "aws_cloudwatch_log_metric_filter", "scope_checker_fail_closed").pattern as string;
const logFormat = logFormatOf(resourceOf(prod!, "aws_lambda_function", "scope_checker"));

/** The log event CloudWatch receives for what `log` writes through the checker's default sink. */
function eventOf(log: () => void): string {
  const spy = jest.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    log();
    expect(spy).toHaveBeenCalledTimes(1);
    return lambdaLogLine(logFormat, spy.mock.calls[0]!);
  } finally {
    spy.mockRestore();
  }
}

test("the function logs in the JSON format, so its lines are JSON log events", () => {
  expect(resourceOf(prod!, "aws_lambda_function", "scope_checker").logging_config).toEqual({ log_format: "JSON", application_log_level: "INFO", system_log_level: "INFO" });
});

test.each([
  ["a JWKS that cannot be loaded", () => logDecision("POST /payments", { decision: "unauthorized", reason: "jwks-unavailable" })],
  ["a broken environment", () => logDecision("POST /payments", { decision: "unauthorized", reason: "config-invalid" })],
  ["a failed JWKS re-fetch", () => logJwksRefresh({ outcome: "failed", detail: "fetch failed" })],
  ["a setup failure", () => logSetupFailure("config-invalid", "ROUTES is not JSON")],
])("the fail-closed filter counts %s", (_name, log) => {
  expect(filterPatternMatches(pattern, eventOf(log))).toBe(true);
});

test.each([
  ["an expired token (an ordinary 401)", () => logDecision("POST /payments", { decision: "unauthorized", reason: "expired" })],
  ["a client off the allow-list", () => logDecision("POST /payments", { decision: "unauthorized", reason: "client-not-allowed", clientId: "abc" })],
  ["an allowed call", () => logDecision("POST /payments", { decision: "allow", reason: "scopes-satisfied", clientId: "abc" })],
  ["a successful JWKS re-fetch", () => logJwksRefresh({ outcome: "loaded", keys: 2 })],
])("the fail-closed filter ignores %s", (_name, log) => {
  expect(filterPatternMatches(pattern, eventOf(log))).toBe(false);
});

test("the evaluator itself: JSON events only, selectors, && before ||", () => {
  const p = '{ ($.a = "x") || ($.b.c = "y") && ($.d != "z") }';
  expect(filterPatternMatches(p, '{"a":"x"}')).toBe(true);
  expect(filterPatternMatches(p, '{"b":{"c":"y"},"d":"w"}')).toBe(true);
  expect(filterPatternMatches(p, '{"b":{"c":"y"},"d":"z"}')).toBe(false);
  expect(filterPatternMatches(p, `2024-01-01T00:00:00.000Z\tid\tINFO\t{"a":"x"}`)).toBe(false);
  expect(() => filterPatternMatches("{ $.a > 1 }", "{}")).toThrow(/unsupported/);
  expect(() => filterPatternMatches("ERROR", "{}")).toThrow(/only JSON patterns/);
});
