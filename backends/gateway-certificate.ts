/**
 * For an HTTPS service behind an `http` route: tell API Gateway's requests from anyone else's.
 * API Gateway presents the stage's client certificate (the stack's `backend_client_certificates`
 * output, PEM) on every call to the backend; the service asks for a client certificate and
 * accepts a request only when the connection presented one of the pinned certificates (by
 * SHA-256 of the certificate), within its validity. Only then may it trust the X-M2M-* identity
 * headers. Pin two during a rotation (the new one before the stage switches, the old one until
 * it has), then drop the old one.
 *
 *   const verify = createGatewayCertificateVerifier([readFileSync("gateway.pem", "utf8")]);
 *   https.createServer({ key, cert, ...GATEWAY_CLIENT_CERTIFICATE_TLS }, (req, res) => {
 *     const check = verify(req);
 *     if (!check.ok) { res.writeHead(403).end(); return; }
 *     ...
 *   });
 *
 * Runtime code: node:crypto only, nothing of this project's beside it.
 */
import { X509Certificate } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

/**
 * Server options: ask every connection for a client certificate, and let the request through to
 * the verifier whatever it is (the verifier pins; a chain check would need API Gateway's issuer).
 */
export const GATEWAY_CLIENT_CERTIFICATE_TLS = { requestCert: true, rejectUnauthorized: false } as const;

export type GatewayCertificateCheck = { readonly ok: true } | { readonly ok: false; readonly reason: "not-tls" | "no-certificate" | "unknown-certificate" | "expired-certificate" };

export class GatewayCertificateConfigError extends Error {
  constructor(index: number) {
    super(`pinned certificate ${index + 1} does not parse as a PEM X.509 certificate`);
    this.name = "GatewayCertificateConfigError";
  }
}

/** A verifier for the given PEMs (API Gateway's client certificates); throws when one does not parse. */
export function createGatewayCertificateVerifier(pems: readonly string[], now: () => number = Date.now): (request: IncomingMessage) => GatewayCertificateCheck {
  const pinned = new Set(
    pems.map((pem, i) => {
      try {
        return new X509Certificate(pem).fingerprint256;
      } catch {
        throw new GatewayCertificateConfigError(i);
      }
    }),
  );
  return (request) => {
    const socket = request.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate !== "function") return { ok: false, reason: "not-tls" };
    const raw = socket.getPeerCertificate().raw;
    if (!raw) return { ok: false, reason: "no-certificate" };
    const presented = new X509Certificate(raw);
    if (!pinned.has(presented.fingerprint256)) return { ok: false, reason: "unknown-certificate" };
    const at = now();
    if (at < Date.parse(presented.validFrom) || at > Date.parse(presented.validTo)) return { ok: false, reason: "expired-certificate" };
    return { ok: true };
  };
}
