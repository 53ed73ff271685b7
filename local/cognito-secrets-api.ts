/**
 * Cognito's client-secret operations (`AWSCognitoIdentityProviderService.*`), answered from the
 * offline user pool: AddUserPoolClientSecret, ListUserPoolClientSecrets and
 * DeleteUserPoolClientSecret, with Cognito's limits (two active secrets per app client, the last
 * one cannot be deleted). Dates are epoch seconds, as the JSON protocol carries them; a listed
 * secret never shows its value, and an added one shows it only when Cognito generated it.
 */
import { AwsApiError, optionalString, requiredString, type AwsJsonOperation } from "./aws-json-api";
import { ClientSecretsError, type LocalAppClient, type LocalUserPool } from "./user-pool";

const PREFIX = "AWSCognitoIdentityProviderService";

export function cognitoSecretsOperations(userPool: LocalUserPool, nowSeconds: () => number): Record<string, AwsJsonOperation> {
  function clientOf(input: Record<string, unknown>): LocalAppClient {
    const poolId = requiredString(input, "UserPoolId");
    const clientId = requiredString(input, "ClientId");
    if (poolId !== userPool.userPoolId) throw new AwsApiError("ResourceNotFoundException", `User pool ${poolId} does not exist.`);
    const client = userPool.clientById(clientId);
    if (!client || client.disabled) throw new AwsApiError("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
    return client;
  }
  const cognitoError = (error: unknown) => (error instanceof ClientSecretsError ? new AwsApiError(error.type, error.message) : error);

  return {
    [`${PREFIX}.AddUserPoolClientSecret`]: (input) => {
      const client = clientOf(input);
      const custom = optionalString(input, "ClientSecret");
      // Cognito: 24-64 characters of [\w+].
      if (custom !== undefined && !/^[\w+]{24,64}$/.test(custom)) throw new AwsApiError("InvalidParameterException", "ClientSecret must be 24-64 characters of [\\w+]");
      try {
        const added = userPool.addClientSecret(client, nowSeconds(), custom);
        return {
          ClientSecretDescriptor: {
            ClientSecretId: added.clientSecretId,
            ClientSecretCreateDate: added.createdAt,
            ...(custom === undefined ? { ClientSecretValue: added.value } : {}),
          },
        };
      } catch (error) {
        throw cognitoError(error);
      }
    },
    [`${PREFIX}.ListUserPoolClientSecrets`]: (input) => ({
      ClientSecrets: userPool.clientSecrets(clientOf(input)).map((s) => ({ ClientSecretId: s.clientSecretId, ClientSecretCreateDate: s.createdAt })),
    }),
    [`${PREFIX}.DeleteUserPoolClientSecret`]: (input) => {
      const client = clientOf(input);
      try {
        userPool.deleteClientSecret(client, requiredString(input, "ClientSecretId"));
      } catch (error) {
        throw cognitoError(error);
      }
      return {};
    },
  };
}
