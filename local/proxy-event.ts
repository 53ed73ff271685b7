/**
 * The events API Gateway builds from a request, offline: the header and query views it gives
 * an authorizer and an `AWS_PROXY` integration (single-value keeps the last value, multi-value
 * keeps all, header names in the caller's case), and the whole REST proxy event a Lambda
 * backend is invoked with, including what the authorizer established.
 */
import { randomUUID } from "node:crypto";
import type { ProxyAuthorizerContext, RestProxyEvent } from "../backends/proxy-types";
import type { Route } from "../model/model-types";
import type { LocalRequest } from "./http-types";

/** The account id in local ARNs and events: a placeholder, nothing is called in AWS. */
export const LOCAL_ACCOUNT_ID = "000000000000";

/** API Gateway's single-value view keeps the last value of a repeated header or parameter. */
export function singleAndMultiValue(pairs: Iterable<readonly [string, string]>) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of pairs) {
    single[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { single, multi };
}

export function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

export interface ProxyEventInput {
  readonly request: LocalRequest;
  readonly route: Route;
  /** The path after the stage, e.g. `/orders/42`. */
  readonly apiPath: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly restApiId: string;
  readonly stageName: string;
  readonly authorizer: ProxyAuthorizerContext;
}

const orNull = <T extends object>(value: T): T | null => (Object.keys(value).length > 0 ? value : null);

/** The REST `AWS_PROXY` event for a request that passed its authorizer. */
export function restProxyEvent(input: ProxyEventInput): RestProxyEvent {
  const { request, route, apiPath, stageName } = input;
  const headers = singleAndMultiValue(headerPairs(request.rawHeaders));
  const query = singleAndMultiValue(request.query.entries());
  return {
    resource: route.path,
    path: apiPath,
    httpMethod: request.method,
    headers: orNull(headers.single),
    multiValueHeaders: orNull(headers.multi),
    queryStringParameters: orNull(query.single),
    multiValueQueryStringParameters: orNull(query.multi),
    pathParameters: orNull({ ...input.pathParameters }),
    stageVariables: null,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: input.restApiId,
      stage: stageName,
      resourcePath: route.path,
      httpMethod: request.method,
      path: `/${stageName}${apiPath}`,
      protocol: "HTTP/1.1",
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      identity: { sourceIp: request.sourceIp, userAgent: (request.headers["user-agent"] as string | undefined) ?? null },
      authorizer: input.authorizer,
    },
    // Without binary media types API Gateway hands a REST proxy integration the body as text.
    body: request.body.length > 0 ? request.body.toString("utf8") : null,
    isBase64Encoded: false,
  };
}
