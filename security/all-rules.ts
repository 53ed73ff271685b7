/** The rule suite, in the order the table prints it. */
import { accessTokenValidityRule } from "./rules/access-token-validity";
import { accountLoggingProtectedRule } from "./rules/account-logging-protected";
import { alarmActionsRule } from "./rules/alarm-actions";
import { backendIntegrationsRule } from "./rules/backend-integrations";
import { clientFlowsRule } from "./rules/client-flows";
import { clientSecretSettingsRule } from "./rules/client-secret-settings";
import { clientSecretsKeyRule } from "./rules/client-secrets-key";
import { defaultTagsRule } from "./rules/default-tags";
import { lambdaEnvironmentSecretsRule } from "./rules/lambda-environment-secrets";
import { lambdaLogGroupRule } from "./rules/lambda-log-group";
import { lambdaPermissionRule } from "./rules/lambda-permission";
import { lambdaRoleLeastPrivilegeRule } from "./rules/lambda-role-least-privilege";
import { lambdaTracingRule } from "./rules/lambda-tracing";
import { logRetentionRule } from "./rules/log-retention";
import { managedPolicyAttachmentsRule } from "./rules/managed-policy-attachments";
import { methodAuthorizerRule } from "./rules/method-authorizer";
import { methodScopesRule } from "./rules/method-scopes";
import { methodSettingsDataTraceRule } from "./rules/method-settings-data-trace";
import { portablePathsRule } from "./rules/portable-paths";
import { roleTrustPolicyRule } from "./rules/role-trust-policy";
import { rotationNotFoughtRule } from "./rules/rotation-not-fought";
import { secretConsumersRule } from "./rules/secret-consumers";
import { secretRecoveryWindowRule } from "./rules/secret-recovery-window";
import { sensitiveOutputsRule } from "./rules/sensitive-outputs";
import { secretsConfinedRule } from "./rules/secrets-confined";
import { snsEncryptionRule } from "./rules/sns-encryption";
import { sourceIpPolicyRule } from "./rules/source-ip-policy";
import { stateBackendEncryptionRule } from "./rules/state-backend-encryption";
import { stageAccessLogsRule } from "./rules/stage-access-logs";
import { stageThrottlingRule } from "./rules/stage-throttling";
import { stageTracingRule } from "./rules/stage-tracing";
import { apiKeyValuesRule, usagePlansRule } from "./rules/usage-plans";
import { userPoolAdminOnlyRule } from "./rules/user-pool-admin-only";
import { userPoolDeletionProtectionRule } from "./rules/user-pool-deletion-protection";
import { tokenEndpointGuardRule } from "./rules/token-endpoint-guard";
import { wafLoggingRule } from "./rules/waf-logging";
import { webAclRule } from "./rules/web-acl";
import { domainTlsPolicyRule } from "./rules/domain-tls-policy";
import { mtlsNotBypassedRule } from "./rules/mtls-not-bypassed";
import { truststoreBucketRule } from "./rules/truststore-bucket";
import type { SecurityRule } from "./rule";

export const ALL_RULES: readonly SecurityRule[] = [
  domainTlsPolicyRule,
  mtlsNotBypassedRule,
  truststoreBucketRule,
  methodAuthorizerRule,
  methodScopesRule,
  stageTracingRule,
  stageThrottlingRule,
  stageAccessLogsRule,
  webAclRule,
  wafLoggingRule,
  tokenEndpointGuardRule,
  sourceIpPolicyRule,
  methodSettingsDataTraceRule,
  backendIntegrationsRule,
  accountLoggingProtectedRule,
  clientFlowsRule,
  clientSecretSettingsRule,
  accessTokenValidityRule,
  userPoolAdminOnlyRule,
  userPoolDeletionProtectionRule,
  logRetentionRule,
  lambdaLogGroupRule,
  lambdaRoleLeastPrivilegeRule,
  roleTrustPolicyRule,
  managedPolicyAttachmentsRule,
  lambdaPermissionRule,
  lambdaTracingRule,
  lambdaEnvironmentSecretsRule,
  sensitiveOutputsRule,
  usagePlansRule,
  apiKeyValuesRule,
  secretsConfinedRule,
  clientSecretsKeyRule,
  secretConsumersRule,
  rotationNotFoughtRule,
  secretRecoveryWindowRule,
  stateBackendEncryptionRule,
  snsEncryptionRule,
  alarmActionsRule,
  defaultTagsRule,
  portablePathsRule,
];
