/**
 * The API actions the client-secret rotation function calls, in one place: its role grants
 * exactly these (constructs/secret-rotation.ts) and the least-privilege rule accepts exactly
 * these (security/rules/lambda-role-least-privilege.ts). createSecret and finishSecret list,
 * add and delete Cognito client secrets, and createSecret reads the app client's allowed scopes; every step reads the secret and its stages, and
 * createSecret/finishSecret write a version and move a stage.
 */
export const ROTATION_COGNITO_ACTIONS = [
  "cognito-idp:AddUserPoolClientSecret",
  "cognito-idp:ListUserPoolClientSecrets",
  "cognito-idp:DeleteUserPoolClientSecret",
  "cognito-idp:DescribeUserPoolClient",
] as const;

export const ROTATION_SECRETS_MANAGER_ACTIONS = [
  "secretsmanager:DescribeSecret",
  "secretsmanager:GetSecretValue",
  "secretsmanager:ListSecretVersionIds",
  "secretsmanager:PutSecretValue",
  "secretsmanager:UpdateSecretVersionStage",
] as const;

/** Through Secrets Manager only (a kms:ViaService condition): Secrets Manager decrypts and encrypts versions with the key. */
export const ROTATION_KMS_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"] as const;
