/**
 * One environment's stack: provider and backend, the REST API, the Cognito authorization
 * server keyed to it, the scope checker when a route uses it, client secrets, and outputs.
 */
import { ArchiveProvider } from "@cdktf/provider-archive/lib/provider";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { scopeCheckerAllowList } from "../model/access";
import { invokeUrl } from "../model/aws-urls";
import type { Environment, M2MModel } from "../model/model-types";
import { usageMetering } from "../model/usage-plans";
import { Alarms } from "./alarms";
import { ApiAccessLogs } from "./api-access-logs";
import { ACCOUNT_ROLE_ADDRESSES, ApiGatewayAccountRole } from "./api-gateway-account-role";
import { ApiMethodSettings } from "./api-method-settings";
import { ApiWaf } from "./api-waf";
import { AuthorizationServer } from "./authorization-server";
import { BackendFunctions } from "./backend-functions";
import { createClientCredentials } from "./client-credentials";
import { ProtectedRestApi } from "./protected-rest-api";
import { ScopeChecker } from "./scope-checker";
import { UsagePlans } from "./usage-plans";
import { named } from "./terraform-names";
import { UserPoolWaf } from "./user-pool-waf";

export interface M2MStackProps {
  readonly model: M2MModel;
  readonly environment: Environment;
  /** The scope checker's bundle, when a route uses it. */
  readonly scopeCheckerBundle?: string;
  /** The secret rotation function's bundle, when a client's secret rotates. */
  readonly secretRotationBundle?: string;
  /** Each backend function's bundle, by function key. */
  readonly backendBundles?: ReadonlyMap<string, string>;
}

export class M2MStack extends TerraformStack {
  constructor(scope: Construct, props: M2MStackProps) {
    const { model, environment: env } = props;
    super(scope, env.name);
    this.configureBackend(env);

    new AwsProvider(this, "aws", {
      region: env.region,
      defaultTags: [{ tags: { ...env.tags, Project: "cognito-m2m", Api: model.api.name, Environment: env.name, ManagedBy: "cdktf" } }],
    });

    const namePrefix = `${model.api.name}-${env.name}`;
    const metering = usageMetering(env.clients, model.routes);
    let archiveProvider: ArchiveProvider | undefined;
    const needsArchiveProvider = () => void (archiveProvider ??= new ArchiveProvider(this, "archive")); // zips the bundles
    const restApiDescription = `${model.api.resourceServerName} (${env.name})`;
    const restApi = named(
      new ApiGatewayRestApi(this, "rest-api", {
        name: namePrefix,
        description: restApiDescription,
        endpointConfiguration: { types: ["REGIONAL"] },
        // Usage-plan keys come from the scope checker's usageIdentifierKey, never from callers.
        ...(metering.plans.length > 0 ? { apiKeySource: "AUTHORIZER" } : {}),
      }),
      "rest_api",
    );
    const resourceServerIdentifier = invokeUrl(restApi.id, env.region, env.stageName);

    const auth = new AuthorizationServer(this, "authorization-server", {
      environment: env,
      namePrefix: model.api.name,
      resourceServerName: model.api.resourceServerName,
      resourceServerIdentifier,
      scopes: model.api.scopes,
      clients: env.clients,
    });

    const checkerRoutes = model.routes.filter((r) => r.authorizer === "scope-checker");
    // The backend functions' bundles are zipped too.
    if (model.backendFunctions.length > 0) needsArchiveProvider();
    let scopeChecker: ScopeChecker | undefined;
    if (checkerRoutes.length > 0) {
      if (!props.scopeCheckerBundle) throw new Error("routes use the scope checker but no bundle was built");
      needsArchiveProvider();
      scopeChecker = new ScopeChecker(this, "scope-checker", {
        namePrefix,
        restApiExecutionArn: restApi.executionArn,
        userPoolId: auth.userPool.id,
        resourceServerIdentifier: auth.resourceServer.identifier,
        clientIds: scopeCheckerAllowList(env.clients, model.routes).map((c) => auth.clients.get(c.name)!.id),
        routes: checkerRoutes,
        settings: model.scopeChecker,
        logRetentionDays: env.logRetentionDays,
        reservedConcurrency: env.scopeCheckerReservedConcurrency,
        bundleFile: props.scopeCheckerBundle,
      });
    }

    // The account-wide logging role: owned here, or forgotten (never destroyed) if it was before.
    const accountRole = env.accessLogs.manageAccountRole ? new ApiGatewayAccountRole(this, "account-role", { namePrefix }) : undefined;
    if (!accountRole) this.addOverride("removed", ACCOUNT_ROLE_ADDRESSES.map((from) => ({ from, lifecycle: { destroy: false } })));

    const backends = model.routes.some((r) => r.backend.type === "lambda" || r.backend.type === "lambda-arn")
      ? new BackendFunctions(this, "backends", {
          apiName: model.api.name,
          environmentName: env.name,
          functions: model.backendFunctions,
          routes: model.routes,
          restApiExecutionArn: restApi.executionArn,
          logRetentionDays: env.logRetentionDays,
          bundleFiles: props.backendBundles ?? new Map(),
        })
      : undefined;

    const accessLogs = env.accessLogs.enabled
      ? new ApiAccessLogs(this, "access-logs", {
          namePrefix,
          restApiId: restApi.id,
          stageName: env.stageName,
          retentionInDays: env.logRetentionDays,
          accountSetting: accountRole?.account,
        })
      : undefined;
    const api = new ProtectedRestApi(this, "api", {
      restApi,
      stageName: env.stageName,
      definition: {
        title: namePrefix,
        description: restApiDescription,
        realm: model.api.name,
        routes: model.routes,
        userPoolArn: auth.userPool.arn,
        scopeIdentifier: (name) => auth.scopeIdentifier(name),
        scopeChecker: scopeChecker ? { invokeArn: scopeChecker.function.invokeArn, resultTtlSeconds: model.scopeChecker.resultTtlSeconds } : undefined,
        allowedSourceIps: env.allowedSourceIps,
        ...(backends ? { lambdaInvokeUri: (route) => backends.invokeUriOf(route) } : {}),
        ...(metering.plans.length > 0 ? { usagePlans: { meteredRoutes: new Set(metering.meteredRoutes.map((r) => r.key)) } } : {}),
      },
      stageOptions: accessLogs ? { ...accessLogs.stageSettings, dependsOn: accessLogs.prerequisites } : undefined,
    });

    if (metering.plans.length > 0) {
      new UsagePlans(this, "usage-plans", {
        namePrefix,
        restApiId: restApi.id,
        stageName: api.stage.stageName,
        plans: metering.plans,
        clientId: (name) => auth.clients.get(name)!.id,
      });
    }

    new ApiMethodSettings(this, "method-settings", {
      stage: api.stage,
      throttling: env.throttling,
      routes: model.routes,
      executionLogs: accessLogs ? { prerequisites: [accessLogs.executionLogGroup, ...accessLogs.prerequisites] } : undefined,
    });
    if (env.waf.enabled) {
      new ApiWaf(this, "waf", { namePrefix, stage: api.stage, rateLimitPer5Minutes: env.waf.rateLimitPer5Minutes, logRetentionDays: env.logRetentionDays });
      new UserPoolWaf(this, "user-pool-waf", { namePrefix, userPool: auth.userPool, rateLimitPer5Minutes: env.waf.tokenEndpointRateLimitPer5Minutes, logRetentionDays: env.logRetentionDays });
    }
    if (env.alarms.enabled) {
      new Alarms(this, "alarms", { namePrefix, region: env.region, restApiName: restApi.name, stageName: env.stageName, scopeChecker: scopeChecker ? { functionName: scopeChecker.function.functionName, logGroupName: scopeChecker.logGroup.name } : undefined, emails: env.alarms.emails });
    }

    const secrets = createClientCredentials(this, { apiName: model.api.name, environment: env, auth, secretRotationBundle: props.secretRotationBundle, needsArchiveProvider });

    // Ids and secrets exist for enabled clients; every client keeps its Secrets Manager secret.
    const enabled = env.clients.filter((c) => !c.disabled);
    const clientMap = <T>(clients: readonly { name: string }[], value: (name: string) => T) => Object.fromEntries(clients.map((c) => [c.name, value(c.name)]));
    const outputs: [string, string, unknown, boolean?][] = [
      ["invoke_url", "Base URL of the API stage", api.stage.invokeUrl],
      ["token_endpoint", "OAuth 2.0 token endpoint (client_credentials grant)", auth.tokenEndpoint],
      ["user_pool_id", "Cognito user pool id (the token issuer is https://cognito-idp.<region>.amazonaws.com/<id>)", auth.userPool.id],
      ["resource_server_identifier", "Resource server identifier: the prefix of every scope", auth.resourceServer.identifier],
      ["scopes", "Full scope identifiers clients request", model.api.scopes.map((s) => auth.scopeIdentifier(s.name))],
      ["client_ids", "App client id per client name", clientMap(enabled, (n) => auth.clients.get(n)!.id)],
      ["client_secret_arns", "Secrets Manager ARN of each client's credentials", clientMap(env.clients, (n) => secrets.secrets.get(n)!.arn)],
      // Rotating clients are left out: after a rotation the app client's secret attribute is stale (Secrets Manager has the value).
      ["client_secrets", "App client secret per client name (clients whose secret does not rotate)", clientMap(enabled.filter((c) => c.secretRotationDays === undefined), (n) => auth.clients.get(n)!.clientSecret), true],
    ];
    for (const [id, description, value, sensitive] of outputs) {
      named(new TerraformOutput(this, id, { value, description, sensitive: sensitive ?? false }), id);
    }
  }

  /**
   * Local state next to the project by default (a relative path, so the output stays portable).
   * `required_version` names the oldest Terraform that has every feature the stack uses:
   * `removed` blocks (1.7) always, S3 native locking `use_lockfile` (1.10) without a DynamoDB table.
   */
  private configureBackend(env: Environment): void {
    const backend = env.backend;
    const usesLockfile = backend.type === "s3" && !backend.dynamodbTable;
    this.addOverride("terraform.required_version", usesLockfile ? ">= 1.10.0" : ">= 1.7.0");
    if (backend.type === "local") {
      new LocalBackend(this, { path: backend.path });
      return;
    }
    new S3Backend(this, {
      bucket: backend.bucket,
      key: backend.key,
      region: backend.region,
      encrypt: true,
      ...(backend.kmsKeyId ? { kmsKeyId: backend.kmsKeyId } : {}),
      ...(backend.dynamodbTable ? { dynamodbTable: backend.dynamodbTable } : {}),
    });
    // Without a DynamoDB table, lock with S3 itself (Terraform >= 1.10).
    if (usesLockfile) this.addOverride("terraform.backend.s3.use_lockfile", true);
  }
}
