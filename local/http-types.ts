/**
 * The request and response shapes the offline environment's handlers work on: plain data, so
 * each handler is a function that can be reasoned about (and tested) without a socket.
 */
import type { IncomingHttpHeaders } from "node:http";

export interface LocalRequest {
  readonly method: string;
  /** Path without the query string, percent-encoding kept as received. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Node's lower-cased headers. */
  readonly headers: IncomingHttpHeaders;
  /** Headers with the case the caller sent, as API Gateway passes them to an authorizer. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  /**
   * Over mutual TLS: the client certificate the connection presented, PEM, when it chains to
   * the environment's truststore (what API Gateway hands the authorizer as
   * `requestContext.identity.clientCert.clientCertPem`).
   */
  readonly clientCertPem?: string;
}

export interface LocalResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function jsonResponse(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): LocalResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/** The first value of a header, whatever Node made of repeated headers. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
