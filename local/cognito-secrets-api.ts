/**
 * Cognito's client-secret operations (`AWSCognitoIdentityProviderService.*`), answered from the
 * offline user pool: AddUserPoolClientSecret, ListUserPoolClientSecrets and
 * DeleteUserPoolClientSecret, with Cognito's limits (two active secrets per app client, the last
 * one cannot be deleted); DescribeUserPoolClient (what rotation reads the allowed scopes from) and
 * UpdateUserPoolClient's AllowedOAuthScopes (the part of a config change the rotation follows). Dates are epoch seconds, as the JSON protocol carries them; a listed
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
    [`${PREFIX}.DescribeUserPoolClient`]: (input) => {
      const client = clientOf(input);
      return {
        UserPoolClient: {
          UserPoolId: userPool.userPoolId, ClientId: client.clientId, ClientName: client.name,
          AllowedOAuthFlows: ["client_credentials"], AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthScopes: [...client.scopes],
        },
      };
    },
    [`${PREFIX}.UpdateUserPoolClient`]: (input) => {
      const client = clientOf(input);
      const scopes = input.AllowedOAuthScopes;
      if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === "string")) throw new AwsApiError("InvalidParameterException", "the offline pool updates AllowedOAuthScopes only: give it as a list");
      try {
        userPool.setAllowedScopes(client, scopes);
      } catch (error) {
        throw cognitoError(error);
      }
      return { UserPoolClient: { UserPoolId: userPool.userPoolId, ClientId: client.clientId, AllowedOAuthScopes: [...client.scopes] } };
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
