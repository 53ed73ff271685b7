/**
 * The log event a Node.js Lambda runtime writes for one `console.log(...)` call, in each of
 * the function's log formats (AWS Lambda Developer Guide, "Log and monitor Node.js Lambda
 * functions" and "Configuring JSON and plain text log formats"):
 * - TEXT (the default): `<ISO time>\t<request id>\t<LEVEL>\t<util.format(...args)>`;
 * - JSON: `{"timestamp":…,"level":…,"requestId":…,"message":…}`, where a single argument
 *   becomes `message` as it is (an object stays an object) and several are `util.format`ted.
 */
import { format } from "node:util";

export type LambdaLogFormat = "Text" | "JSON";

export const SAMPLE_TIME = "2024-01-01T00:00:00.000Z";
export const SAMPLE_REQUEST_ID = "6f8f3a3e-2b5c-4c1d-9a51-0c2f1e8b7d44";

export function lambdaLogLine(logFormat: LambdaLogFormat, args: readonly unknown[], level = "INFO"): string {
  if (logFormat === "Text") return `${SAMPLE_TIME}\t${SAMPLE_REQUEST_ID}\t${level}\t${format(...args)}`;
  const message = args.length === 1 ? args[0] : format(...args);
  return JSON.stringify({ timestamp: SAMPLE_TIME, level, requestId: SAMPLE_REQUEST_ID, message });
}

/** The function's log format as the synthesized `aws_lambda_function` sets it (Lambda's default: Text). */
export function logFormatOf(lambdaFunction: Record<string, any>): LambdaLogFormat {
  const configured = lambdaFunction.logging_config?.log_format;
  if (configured === undefined) return "Text";
  if (configured !== "Text" && configured !== "JSON") throw new Error(`unknown log_format ${JSON.stringify(configured)}`);
  return configured;
}
