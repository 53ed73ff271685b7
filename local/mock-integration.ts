/**
 * The route's MOCK integration, as the stack configures it (constructs/mock-integration.ts): one
 * request template, for `application/json`, and `passthroughBehavior: NEVER`. API Gateway picks
 * the template by the request's Content-Type, taking a request without one as `application/json`;
 * with NEVER, a Content-Type that has no template is refused with 415 instead of being passed
 * through. The integration runs after the authorizer, so a refused caller still gets 401/403 first.
 */
import type { Route } from "../model/model-types";
import { unsupportedMediaType } from "./gateway-responses";
import { headerValue, jsonResponse, type LocalRequest, type LocalResponse } from "./http-types";

/** The only media type the deployed integration has a request template for. */
export const TEMPLATE_MEDIA_TYPE = "application/json";

/** Statuses that carry no body by definition (RFC 9110), whatever the template says. */
const BODYLESS_STATUSES = new Set([204, 205, 304]);

/**
 * The media type API Gateway selects a request template with: the Content-Type without its
 * parameters (`; charset=utf-8`), case-insensitive; absent or empty counts as `application/json`.
 */
export function templateMediaType(request: LocalRequest): string {
  const mediaType = (headerValue(request.headers, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  return mediaType === "" ? TEMPLATE_MEDIA_TYPE : mediaType;
}

export function mockIntegration(route: Route, request: LocalRequest): LocalResponse {
  if (templateMediaType(request) !== TEMPLATE_MEDIA_TYPE) return unsupportedMediaType();
  const response = jsonResponse(route.response.status, route.response.body);
  return request.method === "HEAD" || BODYLESS_STATUSES.has(route.response.status) ? { ...response, body: "" } : response;
}
