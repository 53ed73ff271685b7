/**
 * A certificate authority for loopback only: the offline environment's HTTPS server certificate
 * (127.0.0.1 / localhost), client certificates for mutual TLS, and the certificate the offline
 * gateway presents to HTTP backends. Node's crypto parses certificates but cannot make them, so
 * node-forge signs them; the RSA keys come from node:crypto (fast, and the randomness is Node's).
 * Nothing here is meant for a real network: short lives, no revocation.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";

export interface IssuedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CertificateRequest {
  /** Subject attributes in order, e.g. `{ CN: "shop", O: "Partner Ltd" }`. */
  readonly subject: Readonly<Record<string, string>>;
  /** `server`: serverAuth with the given names; `client`: clientAuth. */
  readonly usage: "server" | "client";
  /** DNS names (server certificates). */
  readonly dnsNames?: readonly string[];
  /** IP addresses (server certificates). */
  readonly ipAddresses?: readonly string[];
  /** @default 1 */
  readonly validDays?: number;
}

export interface LocalCa extends IssuedCertificate {
  issue(request: CertificateRequest): IssuedCertificate;
}

const SHORT_NAMES: Readonly<Record<string, string>> = { CN: "commonName", O: "organizationName", OU: "organizationalUnitName", C: "countryName", L: "localityName", ST: "stateOrProvinceName" };

function attributes(subject: Readonly<Record<string, string>>): forge.pki.CertificateField[] {
  return Object.entries(subject).map(([key, value]) => {
    const name = SHORT_NAMES[key];
    if (!name) throw new Error(`unsupported subject attribute ${key} (use ${Object.keys(SHORT_NAMES).join(", ")})`);
    return { name, value };
  });
}

function newKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), keyPem };
}

function certificate(publicKey: forge.pki.PublicKey, subject: forge.pki.CertificateField[], validDays: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive 16-byte serial (the top bit cleared: DER integers are signed).
  cert.serialNumber = `0${randomBytes(16).toString("hex").slice(1)}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + validDays * 86_400_000);
  cert.setSubject(subject);
  return cert;
}

/** A new CA (self-signed, CA:TRUE) that can issue server and client certificates. */
export function createLocalCa(commonName = "cognito-m2m local CA", validDays = 1): LocalCa {
  const keys = newKeys();
  const subject = attributes({ CN: commonName, O: "cognito-m2m offline" });
  const caCert = certificate(keys.publicKey, subject, validDays);
  caCert.setIssuer(subject);
  caCert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  caCert.sign(keys.privateKey, forge.md.sha256.create());
  return {
    certPem: forge.pki.certificateToPem(caCert),
    keyPem: keys.keyPem,
    issue(request) {
      const leaf = newKeys();
      const cert = certificate(leaf.publicKey, attributes(request.subject), request.validDays ?? validDays);
      cert.setIssuer(caCert.subject.attributes);
      const altNames = [...(request.dnsNames ?? []).map((value) => ({ type: 2, value })), ...(request.ipAddresses ?? []).map((ip) => ({ type: 7, ip }))];
      cert.setExtensions([
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", serverAuth: request.usage === "server", clientAuth: request.usage === "client" },
        ...(altNames.length > 0 ? [{ name: "subjectAltName", altNames }] : []),
        { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
      ]);
      cert.sign(keys.privateKey, forge.md.sha256.create());
      return { certPem: forge.pki.certificateToPem(cert), keyPem: leaf.keyPem };
    },
  };
}
