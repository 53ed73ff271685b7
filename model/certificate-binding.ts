/**
 * A client's certificate binding and how a presented certificate is matched against it, one way
 * for every consumer: validation (normalizes the config's values), the scope checker (matches
 * the connection's certificate) and the offline gateway. Pure: node:crypto parses, nothing else.
 */
import { X509Certificate } from "node:crypto";

/** What a bound client must present: a subject, a SHA-256 fingerprint, or both (both must match). */
export interface CertificateBinding {
  /** Normalized distinguished name (see normalizeSubject). */
  readonly subject?: string;
  /** Upper-case hex pairs joined by colons, as `X509Certificate.fingerprint256` prints it. */
  readonly sha256?: string;
}

/** `ab12…` or `AB:12:…` -> `AB:12:…`. */
export function normalizeFingerprint(text: string): string {
  const hex = text.replace(/:/g, "").toUpperCase();
  return hex.match(/.{2}/g)!.join(":");
}

/**
 * A distinguished name as a comparable string: its attributes `TYPE=value`, types upper-cased,
 * spaces around separators dropped, sorted. `CN=a, O=b` (RFC 2253 order), `O=b\nCN=a` (Node's
 * `X509Certificate.subject`) and `CN=a,O=b` are the same name. Values holding a comma or a
 * newline are not supported (the schema refuses them).
 */
export function normalizeSubject(text: string): string {
  return text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      const eq = part.indexOf("=");
      return eq < 0 ? part : `${part.slice(0, eq).trim().toUpperCase()}=${part.slice(eq + 1).trim()}`;
    })
    .sort()
    .join(",");
}

/** The facts of a presented certificate a binding is matched against; undefined when the PEM does not parse. */
export function certificateFacts(pem: string): Required<CertificateBinding> | undefined {
  try {
    const cert = new X509Certificate(pem);
    return { subject: normalizeSubject(cert.subject), sha256: cert.fingerprint256 };
  } catch {
    return undefined;
  }
}

export type BindingCheck = { readonly ok: true } | { readonly ok: false; readonly reason: "certificate-missing" | "certificate-mismatch" | "client-not-bound" };

/**
 * Whether the connection's certificate (its PEM, as API Gateway hands it to the authorizer in
 * `requestContext.identity.clientCert.clientCertPem`) satisfies the client's binding.
 * `required`: the route admits bound clients only.
 */
export function checkBinding(binding: CertificateBinding | undefined, presentedPem: string | undefined, required: boolean): BindingCheck {
  if (binding === undefined) return required ? { ok: false, reason: "client-not-bound" } : { ok: true };
  if (presentedPem === undefined || presentedPem === "") return { ok: false, reason: "certificate-missing" };
  const facts = certificateFacts(presentedPem);
  if (facts === undefined) return { ok: false, reason: "certificate-missing" };
  if (binding.sha256 !== undefined && binding.sha256 !== facts.sha256) return { ok: false, reason: "certificate-mismatch" };
  if (binding.subject !== undefined && binding.subject !== facts.subject) return { ok: false, reason: "certificate-mismatch" };
  return { ok: true };
}
