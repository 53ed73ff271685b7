/**
 * `fetch` over node:https with TLS material of the caller's: the CA that signed the server's
 * certificate (the offline environment's local CA, or a private one) and a client certificate
 * and key for mutual TLS. Node's global fetch takes neither without an undici dispatcher, which
 * Node does not export; this is the small subset of fetch the token client and `m2m call` use
 * (method, headers, a string or form body, an abort signal), answering a standard Response.
 * Failures reject with a TypeError("fetch failed") carrying the cause, as fetch does.
 */
import { request } from "node:https";
import type { FetchLike } from "./token-client";

/** PEM texts (not file names). */
export interface TlsMaterial {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

const NO_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function tlsFetch(tls: TlsMaterial): FetchLike {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(String(input));
      if (url.protocol !== "https:") {
        reject(new TypeError("fetch failed", { cause: new Error(`a client certificate or CA needs https, got ${url.protocol}`) }));
        return;
      }
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => (headers[name] = value));
      let body: string | Uint8Array | undefined;
      if (typeof init.body === "string") body = init.body;
      else if (init.body instanceof URLSearchParams) {
        body = init.body.toString();
        headers["content-type"] ??= "application/x-www-form-urlencoded;charset=UTF-8";
      } else if (init.body instanceof Uint8Array) body = init.body;
      else if (init.body !== undefined && init.body !== null) {
        reject(new TypeError("tlsFetch: unsupported body type"));
        return;
      }
      if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
      const req = request(
        url,
        { method: init.method ?? "GET", headers, ...(tls.ca ? { ca: tls.ca } : {}), ...(tls.cert ? { cert: tls.cert } : {}), ...(tls.key ? { key: tls.key } : {}), ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", (cause) => reject(new TypeError("fetch failed", { cause })));
          res.on("end", () => {
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v);
            }
            const status = res.statusCode ?? 502;
            resolve(new Response(NO_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage ?? "", headers: responseHeaders }));
          });
        },
      );
      req.on("error", (cause) => reject(init.signal?.aborted ? init.signal.reason ?? cause : new TypeError("fetch failed", { cause })));
      req.end(body);
    });
}
