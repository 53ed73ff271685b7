/** The offline environment's public surface: start it, read what it wrote. */
export { backendUrlKey, startLocalEnvironment, UnknownEnvironmentError, type LocalEnvironment, type LocalEnvironmentOptions } from "./local-environment";
export {
  DEFAULT_CREDENTIALS_FILE,
  readCredentialsFile,
  LocalCredentialsFileError,
  type LocalApiEndpoint,
  type LocalClientCredentials,
  type LocalCredentialsFile,
} from "./credentials-file";
