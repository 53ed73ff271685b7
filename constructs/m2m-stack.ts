/**
 * One environment's stack: provider and backend, the Cognito authorization server (one user
 * pool, domain and app clients for every API), and per API its REST API, resource server keyed
 * to that API's invoke URL, scope checker when its routes use one, backend functions, method
 * settings, access logs, WAF and alarms; client secrets, usage plans, and outputs.
 *
 * The one-API form builds its API's resources in the stack itself, under the names it always
 * had. With several APIs each API's resources are built in a construct of their own
 * (`api-<name>`) and named with the API's prefix (`terraformPrefix`), and an API whose
 * resources the one-API form deployed (`movedFromSingleApi`) gets `moved` blocks from those
 * addresses, so switching forms plans only moves.
 */
import { ArchiveProvider } from "@cdktn/provider-archive/lib/provider";
import { ApiGatewayRestApi } from "@cdktn/provider-aws/lib/api-gateway-rest-api";
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformOutput, TerraformResource, TerraformStack } from "cdktn";
import { Construct } from "constructs";
import { scopeCheckerAllowList } from "../model/access";
import { customDomainApiUrl, invokeUrl, tokenEndpointUrl } from "../model/aws-urls";
import { allRoutes, terraformPrefix } from "../model/apis";
import type { Api, Environment, M2MModel } from "../model/model-types";
import { usageMetering } from "../model/usage-plans";
import { Alarms } from "./alarms";
import { ApiAccessLogs } from "./api-access-logs";
import { ACCOUNT_ROLE_ADDRESSES, ApiGatewayAccountRole } from "./api-gateway-account-role";
import { ApiMethodSettings } from "./api-method-settings";
import { ApiWaf } from "./api-waf";
import { ApiCustomDomain } from "./api-custom-domain";
import { backendClientCertificate } from "./backend-client-certificate";
import { MtlsTruststore } from "./mtls-truststore";
import { TokenCustomDomain } from "./token-custom-domain";
import { AuthorizationServer, type ResourceServerIdentifier } from "./authorization-server";
import { BackendFunctions } from "./backend-functions";
import { createClientCredentials } from "./client-credentials";
import { ProtectedRestApi } from "./protected-rest-api";
import { ScopeChecker } from "./scope-checker";
import { UsagePlans } from "./usage-plans";
import { addressOf, apiScope, named } from "./terraform-names";
import { UserPoolWaf } from "./user-pool-waf";

export interface M2MStackProps {
  readonly model: M2MModel;
  readonly environment: Environment;
  /** The scope checker's bundle, when a route uses it. */
  readonly scopeCheckerBundle?: string;
  /** The secret rotation function's bundle, when a client's secret rotates. */
  readonly secretRotationBundle?: string;
  /** Each backend function's bundle, by API name, then function key. */
  readonly backendBundles?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** One API of the stack while it is built. */
interface StackApi {
  readonly api: Api;
  /** The construct its resources are built in: the stack itself in the one-API form. */
  readonly scope: Construct;
  /** `<api>-<environment>`: names its AWS resources. */
  readonly namePrefix: string;
  readonly description: string;
  readonly restApi: ApiGatewayRestApi;
}

/** A Terraform `moved` block. */
export interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

export class M2MStack extends TerraformStack {
  /** The moves this stack declares (empty unless an API is `movedFromSingleApi`). */
  readonly moves: readonly MovedBlock[];
  private readonly serverName: string;

  constructor(scope: Construct, props: M2MStackProps) {
    const { model, environment: env } = props;
    super(scope, env.name);
    this.configureBackend(env);
    // The one-API form's output stays byte for byte what it was: its API's resources are built in
    // the stack itself, as they always were (construct paths appear in every resource's metadata
    // and name the asset directories).
    const singleApi = model.layout === "single-api";

    // The pool's resources carry the server's name (the API's in the one-API form); each API's
    // resources their API's (see tagApiResources).
    new AwsProvider(this, "aws", {
      region: env.region,
      defaultTags: [{ tags: { ...env.tags, Project: "cognito-m2m", Api: model.name, Environment: env.name, ManagedBy: "cdktf" } }],
    });

    const serverPrefix = `${model.name}-${env.name}`;
    this.serverName = model.name;
    const metering = usageMetering(env.clients, allRoutes(model));
    const metered = metering.plans.length > 0;
    let archiveProvider: ArchiveProvider | undefined;
    const needsArchiveProvider = () => void (archiveProvider ??= new ArchiveProvider(this, "archive")); // zips the bundles

    const apis: StackApi[] = model.apis.map((api) => {
      const where = singleApi
        ? this
        : apiScope(this, `api-${api.name}`, {
            terraformPrefix: terraformPrefix(model, api),
            // A moved API keeps the archive paths the one-API form wrote: a layer version's
            // file name cannot change in place (it would be replaced, not moved).
            filePrefix: api.movedFromSingleApi ? "" : `${api.name}-`,
          });
      const namePrefix = `${api.name}-${env.name}`;
      const description = `${api.resourceServerName} (${env.name})`;
      const restApi = named(
        new ApiGatewayRestApi(where, "rest-api", {
          name: namePrefix,
          description,
          endpointConfiguration: { types: ["REGIONAL"] },
          // Served by the custom domain only: its TLS policy and mutual TLS cannot be gone around.
          ...(executeApiDisabled(env) ? { disableExecuteApiEndpoint: true } : {}),
          // Usage-plan keys come from the scope checker's usageIdentifierKey, never from callers.
          ...(metered ? { apiKeySource: "AUTHORIZER" } : {}),
        }),
        "rest_api",
      );
      return { api, scope: where, namePrefix, description, restApi };
    });

    // Each resource server is keyed to its own API's invoke URL (built from the REST API's id,
    // which depends on nothing of Cognito's: no cycle).
    const auth = new AuthorizationServer(this, "authorization-server", {
      environment: env,
      namePrefix: model.name,
      resourceServers: apis.map((a) => ({
        api: a.api.name,
        ...(singleApi ? {} : { scope: a.scope }),
        name: a.api.resourceServerName,
        identifiers: resourceServerIdentifiers(env, a.api.name, a.restApi.id),
        scopes: a.api.scopes,
      })),
      clients: env.clients,
    });

    // Certificate bindings: the access file lists bound clients; routes may require one.
    const boundClients = env.clients.filter((c) => c.certificate !== undefined && !c.disabled);
    const bindsCertificates = (api: Api) => boundClients.some((c) => c.scopes.some((g) => g.api === api.name)) || api.routes.some((r) => r.requireBoundCertificate);

    // The backend functions' bundles are zipped too.
    if (model.apis.some((a) => a.backendFunctions.length > 0)) needsArchiveProvider();
    const scopeCheckers = apis.map((a) => {
      const checkerRoutes = a.api.routes.filter((r) => r.authorizer === "scope-checker");
      if (checkerRoutes.length === 0) return undefined;
      if (!props.scopeCheckerBundle) throw new Error("routes use the scope checker but no bundle was built");
      needsArchiveProvider();
      return new ScopeChecker(a.scope, "scope-checker", {
        namePrefix: a.namePrefix,
        restApiExecutionArn: a.restApi.executionArn,
        userPoolId: auth.userPoolId,
        resourceServerIdentifier: auth.resourceServers.get(a.api.name)!.identifier,
        resourceServerAliases: auth.aliasIdentifiers(a.api.name),
        // Only the clients granted this API's scopes, for this API's routes (the others cannot
        // pass any of them: left out before the per-route check, a pool holds 1,000 clients).
        clientIds: scopeCheckerAllowList(env.clients.filter((c) => c.scopes.some((g) => g.api === a.api.name)), a.api.routes).map((c) => auth.clientRefs(c.name).id),
        routes: checkerRoutes,
        ...(bindsCertificates(a.api) ? { bindings: boundClients.filter((c) => c.scopes.some((g) => g.api === a.api.name)).map((c) => ({ clientId: auth.clientRefs(c.name).id, ...c.certificate })) } : {}),
        settings: model.scopeChecker,
        logRetentionDays: env.logRetentionDays,
        reservedConcurrency: env.scopeCheckerReservedConcurrency,
        bundleFile: props.scopeCheckerBundle,
      });
    });

    // The account-wide logging role: owned here, or forgotten (never destroyed) if it was before.
    const accountRole = env.accessLogs.manageAccountRole ? new ApiGatewayAccountRole(this, "account-role", { namePrefix: serverPrefix }) : undefined;
    if (!accountRole) this.addOverride("removed", ACCOUNT_ROLE_ADDRESSES.map((from) => ({ from, lifecycle: { destroy: false } })));

    const served = apis.map((a, i) => {
      const { api } = a;
      const scopeChecker = scopeCheckers[i];
      const backends = api.routes.some((r) => r.backend.type === "lambda" || r.backend.type === "lambda-arn")
        ? new BackendFunctions(a.scope, "backends", {
            apiName: api.name,
            environmentName: env.name,
            functions: api.backendFunctions,
            routes: api.routes,
            restApiExecutionArn: a.restApi.executionArn,
            logRetentionDays: env.logRetentionDays,
            bundleFiles: props.backendBundles?.get(api.name) ?? new Map(),
          })
        : undefined;
      const accessLogs = env.accessLogs.enabled
        ? new ApiAccessLogs(a.scope, "access-logs", {
            namePrefix: a.namePrefix,
            restApiId: a.restApi.id,
            stageName: env.stageName,
            retentionInDays: env.logRetentionDays,
            accountSetting: accountRole?.account,
          })
        : undefined;
      // HTTP backends are shown the gateway's certificate, so they can tell its requests from others.
      const clientCertificate = api.routes.some((r) => r.backend.type === "http") ? backendClientCertificate(a.scope, a.namePrefix) : undefined;
      const binds = scopeChecker !== undefined && bindsCertificates(api);
      const meteredRoutes = new Set(metering.meteredRoutes.filter((r) => r.api === api.name).map((r) => r.key));
      const protectedApi = new ProtectedRestApi(a.scope, "api", {
        restApi: a.restApi,
        stageName: env.stageName,
        definition: {
          title: a.namePrefix,
          description: a.description,
          realm: api.name,
          routes: api.routes,
          userPoolArn: auth.userPool.arn,
          // This API's authorizers accept this API's resource server's scopes only (either identifier while they move).
          scopeIdentifiers: (name) => auth.scopeIdentifiers(api.name, name),
          // A cached result is keyed to the token alone: with certificate bindings each call is
          // checked against its own connection's certificate, so results are not cached.
          scopeChecker: scopeChecker ? { invokeArn: scopeChecker.function.invokeArn, resultTtlSeconds: binds ? 0 : model.scopeChecker.resultTtlSeconds } : undefined,
          ...(binds ? { denyReasons: true } : {}),
          ...(env.customDomain ? { customDomain: { url: customDomainApiUrl(env.customDomain.apiDomainName, api.name), disableExecuteApiEndpoint: executeApiDisabled(env) } } : {}),
          allowedSourceIps: env.allowedSourceIps,
          ...(backends ? { lambdaInvokeUri: (route) => backends.invokeUriOf(route) } : {}),
          ...(metered ? { usagePlans: { meteredRoutes } } : {}),
        },
        stageOptions:
          accessLogs || clientCertificate
            ? { ...(accessLogs ? { ...accessLogs.stageSettings, dependsOn: accessLogs.prerequisites } : {}), ...(clientCertificate ? { clientCertificateId: clientCertificate.id } : {}) }
            : undefined,
      });
      return { ...a, scopeChecker, accessLogs, protectedApi, clientCertificate };
    });

    if (metered) {
      new UsagePlans(this, "usage-plans", {
        namePrefix: serverPrefix,
        stages: served.map((a) => ({ restApiId: a.restApi.id, stageName: a.protectedApi.stage.stageName })),
        plans: metering.plans,
        clientId: (name) => auth.clientRefs(name).id,
      });
    }

    for (const a of served) {
      new ApiMethodSettings(a.scope, "method-settings", {
        stage: a.protectedApi.stage,
        throttling: env.throttling,
        routes: a.api.routes,
        executionLogs: a.accessLogs ? { prerequisites: [a.accessLogs.executionLogGroup, ...a.accessLogs.prerequisites] } : undefined,
      });
      if (env.waf.enabled) new ApiWaf(a.scope, "waf", { namePrefix: a.namePrefix, stage: a.protectedApi.stage, rateLimitPer5Minutes: env.waf.rateLimitPer5Minutes, logRetentionDays: env.logRetentionDays });
    }
    if (env.waf.enabled) {
      new UserPoolWaf(this, "user-pool-waf", { namePrefix: serverPrefix, userPool: auth.userPool, rateLimitPer5Minutes: env.waf.tokenEndpointRateLimitPer5Minutes, logRetentionDays: env.logRetentionDays });
    }
    const alarms = env.alarms.enabled
      ? new Alarms(this, "alarms", {
          namePrefix: serverPrefix,
          region: env.region,
          apis: served.map((a) => ({
            ...(singleApi ? {} : { scope: new Construct(a.scope, "alarms") }),
            namePrefix: a.namePrefix,
            restApiName: a.restApi.name,
            stageName: env.stageName,
            scopeChecker: a.scopeChecker ? { functionName: a.scopeChecker.function.functionName, logGroupName: a.scopeChecker.logGroup.name } : undefined,
          })),
          emails: env.alarms.emails,
        })
      : undefined;

    const edge = this.buildEdge(env, serverPrefix, auth.userPoolId, served.map((a) => ({ name: a.api.name, restApiId: a.restApi.id, stageName: a.protectedApi.stage.stageName })));

    const { secrets, rotation } = createClientCredentials(this, { serverName: model.name, environment: env, auth, secretRotationBundle: props.secretRotationBundle, needsArchiveProvider });
    if (alarms && rotation) alarms.watchRotation(rotation.function.functionName);

    // Ids and secrets exist for enabled clients; every client keeps its Secrets Manager secret.
    const enabled = env.clients.filter((c) => !c.disabled);
    const clientMap = <T>(clients: readonly { name: string }[], value: (name: string) => T) => Object.fromEntries(clients.map((c) => [c.name, value(c.name)]));
    const apiMap = <T>(value: (a: (typeof served)[number]) => T) => Object.fromEntries(served.map((a) => [a.api.name, value(a)]));
    const scopesOf = (api: Api) => api.scopes.map((s) => auth.scopeIdentifier(api.name, s.name));
    const [only] = served;
    const perApi: [string, string, unknown][] = singleApi
      ? [
          env.customDomain
            ? ["invoke_url", "Base URL of the API on its custom domain (the execute-api endpoint is disabled)", customDomainApiUrl(env.customDomain.apiDomainName, only!.api.name)]
            : ["invoke_url", "Base URL of the API stage", only!.protectedApi.stage.invokeUrl],
          ["resource_server_identifier", "Resource server identifier: the prefix of every scope", auth.resourceServers.get(only!.api.name)!.identifier],
          ["scopes", "Full scope identifiers clients request", scopesOf(only!.api)],
        ]
      : [
          env.customDomain
            ? ["invoke_urls", "Base URL of each API on the custom domain, by API name (the execute-api endpoints are disabled)", apiMap((a) => customDomainApiUrl(env.customDomain!.apiDomainName, a.api.name))]
            : ["invoke_urls", "Base URL of each API's stage, by API name", apiMap((a) => a.protectedApi.stage.invokeUrl)],
          ["resource_server_identifiers", "Resource server identifier of each API (the prefix of its scopes), by API name", apiMap((a) => auth.resourceServers.get(a.api.name)!.identifier)],
          ["scopes", "Full scope identifiers clients request, by API name", apiMap((a) => scopesOf(a.api))],
        ];
    const outputs: [string, string, unknown, boolean?][] = [
      perApi[0]!,
      ["token_endpoint", "OAuth 2.0 token endpoint (client_credentials grant)", env.customDomain?.tokenDomainName ? tokenEndpointUrl(env.domainPrefix, env.region, env.customDomain.tokenDomainName) : auth.tokenEndpoint],
      ["user_pool_id", "Cognito user pool id (the token issuer is https://cognito-idp.<region>.amazonaws.com/<id>)", auth.userPoolId],
      perApi[1]!,
      perApi[2]!,
      ["client_ids", "App client id per client name", clientMap(enabled, (n) => auth.clientRefs(n).id)],
      ["client_secret_arns", "Secrets Manager ARN of each client's credentials", clientMap(env.clients, (n) => secrets.secrets.get(n)!.arn)],
      // Rotating clients are left out: after a rotation the app client's secret attribute is stale (Secrets Manager has the value).
      ["client_secrets", "App client secret per client name (clients whose secret does not rotate)", clientMap(enabled.filter((c) => c.secretRotationDays === undefined), (n) => auth.clientRefs(n).clientSecret), true],
    ];
    outputs.push(...edge.outputs);
    const certificates = served.filter((a) => a.clientCertificate);
    if (certificates.length > 0) {
      const byApi = <T>(value: (c: NonNullable<(typeof served)[number]["clientCertificate"]>) => T) => Object.fromEntries(certificates.map((a) => [a.api.name, value(a.clientCertificate!)]));
      outputs.push(
        ["backend_client_certificates", "PEM of the certificate API Gateway presents to HTTP backends, by API name (backends verify it)", byApi((c) => c.pemEncodedCertificate)],
        ["backend_client_certificate_expirations", "When each backend client certificate expires, by API name (no CloudWatch metric reports it: watch this date)", byApi((c) => c.expirationDate)],
      );
    }
    for (const [id, description, value, sensitive] of outputs) {
      named(new TerraformOutput(this, id, { value, description, sensitive: sensitive ?? false }), id);
    }

    if (!singleApi) for (const a of apis) tagApiResources(a.scope, a.api.name, model.name);
    this.moves = singleApi ? [] : apis.filter((a) => a.api.movedFromSingleApi).flatMap((a) => movesFromSingleApi(a.scope, terraformPrefix(model, a.api)));
    if (this.moves.length > 0) this.addOverride("moved", this.moves.map((m) => ({ ...m })));
  }

  /**
   * The partner edge: the APIs' custom domain (with the mutual-TLS truststore) and the token
   * endpoint's (its certificate from us-east-1, through a second provider). Without a hosted zone
   * the DNS records to create are outputs.
   */
  private buildEdge(env: Environment, serverPrefix: string, userPoolId: string, apis: readonly { name: string; restApiId: string; stageName: string }[]): { outputs: [string, string, unknown][] } {
    const domain = env.customDomain;
    if (!domain) return { outputs: [] };
    const truststore = env.mtls ? new MtlsTruststore(this, "truststore", { namePrefix: serverPrefix, pem: env.mtls.truststorePem }) : undefined;
    const apiDomain = new ApiCustomDomain(this, "api-domain", { domain, ...(truststore ? { truststore } : {}), apis });
    const outputs: [string, string, unknown][] = [];
    const records: Record<string, unknown> = {};
    if (domain.hostedZoneId === undefined) {
      records[domain.apiDomainName] = { certificate_validation: apiDomain.validationRecord, alias_target: { name: apiDomain.domainName.regionalDomainName, zone_id: apiDomain.domainName.regionalZoneId } };
    }
    if (domain.tokenDomainName !== undefined) {
      const usEast1 = new AwsProvider(this, "aws-us-east-1", {
        alias: "us_east_1",
        region: "us-east-1",
        defaultTags: [{ tags: { ...env.tags, Project: "cognito-m2m", Api: this.serverName, Environment: env.name, ManagedBy: "cdktf" } }],
      });
      const tokenDomain = new TokenCustomDomain(this, "token-domain", {
        domainName: domain.tokenDomainName,
        userPoolId,
        certificateProvider: usEast1,
        ...(domain.hostedZoneId === undefined ? {} : { hostedZoneId: domain.hostedZoneId }),
      });
      if (domain.hostedZoneId === undefined) {
        records[domain.tokenDomainName] = { certificate_validation: tokenDomain.validationRecord, alias_target: { name: tokenDomain.domain.cloudfrontDistribution, zone_id: tokenDomain.domain.cloudfrontDistributionZoneId } };
      }
    }
    if (Object.keys(records).length > 0) outputs.push(["custom_domain_dns_records", "DNS records to create where the domains are hosted (no Route 53 zone given): each certificate's validation CNAME and the A/ALIAS target", records]);
    return { outputs };
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

/**
 * Whether the REST APIs answer on their custom domain only. With mutual TLS always (else it
 * could be gone around); otherwise once the scope identifiers are the custom domain's: while
 * they move (`invoke-url`, `both`), callers still on the invoke URL keep working.
 */
function executeApiDisabled(env: Environment): boolean {
  return env.customDomain !== undefined && (env.mtls !== undefined || env.customDomain.scopeIdentifiers === "custom-domain");
}

/**
 * An API's resource server identifiers, the canonical one first. Keyed to the custom domain when
 * there is one (no REST API id, so they survive a REST API's replacement); to the invoke URL
 * without one, or while the config keeps them there; both while they move (the custom domain's
 * canonical: the scope checker reads the invoke URL's scopes as its aliases).
 */
function resourceServerIdentifiers(env: Environment, api: string, restApiId: string): ResourceServerIdentifier[] {
  const invoke: ResourceServerIdentifier = { key: "invoke-url", identifier: invokeUrl(restApiId, env.region, env.stageName) };
  const domain = env.customDomain;
  if (!domain || domain.scopeIdentifiers === "invoke-url") return [invoke];
  const custom: ResourceServerIdentifier = { key: "custom-domain", identifier: customDomainApiUrl(domain.apiDomainName, api) };
  return domain.scopeIdentifiers === "both" ? [custom, invoke] : [custom];
}

/**
 * Gives every taggable resource of an API the API's name as its `Api` tag (the provider's
 * default tags give the server's). A tag equal to the default is left out: it says nothing the
 * default does not, and on an API moved from the one-API form (same name) it would plan a tags
 * update on every resource.
 */
function tagApiResources(scope: Construct, apiName: string, serverName: string): void {
  if (apiName === serverName) return;
  for (const node of scope.node.findAll()) {
    if (!(node instanceof TerraformResource) || !("tagsInput" in node)) continue;
    const taggable = node as TerraformResource & { tagsInput?: Record<string, string>; tags: Record<string, string> };
    taggable.tags = { ...(taggable.tagsInput ?? {}), Api: apiName };
  }
}

/**
 * `moved` blocks from the addresses the one-API form gave an API's resources (no prefix) to
 * the prefixed ones: every managed resource built in the API's construct (data sources have no
 * state to move).
 */
function movesFromSingleApi(scope: Construct, prefix: string): MovedBlock[] {
  const moves: MovedBlock[] = [];
  for (const node of scope.node.findAll()) {
    if (!(node instanceof TerraformResource)) continue;
    const to = addressOf(node);
    const name = node.friendlyUniqueId;
    if (!name.startsWith(prefix)) throw new Error(`${to} does not carry its API's prefix ${prefix}`); // every construct names through named()
    moves.push({ from: `${node.terraformResourceType}.${name.slice(prefix.length)}`, to });
  }
  return moves;
}
