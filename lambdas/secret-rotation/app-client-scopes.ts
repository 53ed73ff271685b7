/**
 * The scopes an app client may request today, read from Cognito (DescribeUserPoolClient's
 * AllowedOAuthScopes) at each rotation: Terraform writes a rotating secret's first value only, so
 * the scopes a new version carries must come from the app client, which Terraform keeps current,
 * not from the version before it (a scope removed since would make consumers that request the
 * stored list get `invalid_scope`; one added would never be requested).
 */
import { DescribeUserPoolClientCommand, type CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

export async function allowedScopes(cognito: CognitoIdentityProviderClient, userPoolId: string, clientId: string): Promise<string[]> {
  const described = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }));
  return [...(described.UserPoolClient?.AllowedOAuthScopes ?? [])];
}
