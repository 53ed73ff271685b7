/**
 * Calls an API with the client's bearer token. A 401 means the API no longer accepts the token
 * (expired early, key rotated, client re-enabled with new scopes): fetch a new token once and
 * retry once. A second 401 is returned to the caller: retrying further would only spend money.
 */
import type { FetchLike, TokenClient } from "./token-client";

export interface FetchWithTokenOptions {
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
}

/** Bodies that can be sent twice; a stream is consumed by the first attempt. */
function isReplayable(body: RequestInit["body"]): boolean {
  return body === undefined || body === null || typeof body === "string" || body instanceof URLSearchParams || body instanceof ArrayBuffer || ArrayBuffer.isView(body) || body instanceof Blob || body instanceof FormData;
}

function withBearer(init: RequestInit | undefined, token: string): RequestInit {
  const headers = new Headers(init?.headers);
  headers.set("authorization", `Bearer ${token}`);
  return { ...init, headers };
}

export async function fetchWithToken(tokens: TokenClient, input: string | URL, init?: RequestInit, options: FetchWithTokenOptions = {}): Promise<Response> {
  const fetchImpl: FetchLike = options.fetch ?? ((i, n) => fetch(i, n));
  const token = await tokens.getToken();
  const response = await fetchImpl(input, withBearer(init, token));
  if (response.status !== 401 || !isReplayable(init?.body)) return response;
  await response.body?.cancel();
  tokens.invalidate(token);
  return fetchImpl(input, withBearer(init, await tokens.getToken()));
}
