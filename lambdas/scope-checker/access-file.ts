/**
 * The access file: the scope checker's client allow-list and routes, a JSON file in a Lambda
 * layer of the function. The ScopeChecker construct has Terraform render it (client ids exist
 * only after apply); lambda-environment.ts reads it at cold start. This module holds only the
 * shared name and shape, so synth can import it without the handler.
 */

/** The access file's name in its layer. */
export const ACCESS_FILE_NAME = "access.json";

/** Where Lambda puts it: layers are unpacked into /opt. */
export const ACCESS_FILE_PATH = `/opt/${ACCESS_FILE_NAME}`;

/** A client bound to a certificate (model/certificate-binding.ts: normalized subject, colon-separated SHA-256). */
export interface AccessFileBinding {
  readonly clientId: string;
  readonly subject?: string;
  readonly sha256?: string;
}

/**
 * What the access file holds. Scope NAMES; the full identifier is `${RESOURCE_SERVER_ID}/${name}`.
 * `bindings` and a route's `requireBoundCertificate` appear only when the environment binds
 * clients to certificates (files without them read as they always did).
 */
export interface AccessFile {
  readonly clientIds: readonly string[];
  readonly routes: readonly { readonly method: string; readonly path: string; readonly scopes: readonly string[]; readonly requireBoundCertificate?: true }[];
  readonly bindings?: readonly AccessFileBinding[];
}
