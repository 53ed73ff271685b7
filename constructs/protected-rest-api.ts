/**
 * The REST API: resources from the route paths, one method per route guarded by the Cognito
 * authorizer (any-of scopes) or the scope checker (Lambda REQUEST authorizer), mock
 * integrations, OAuth-style 401/403 answers, and a deployment that is right on the first
 * apply and redeploys whenever any of it changes.
 */
import { ApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import type { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage, type ApiGatewayStageConfig } from "@cdktf/provider-aws/lib/api-gateway-stage";
import type { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import type { Route } from "../model/model-types";
import { resourceTree } from "../model/paths";
import { createGatewayResponses } from "./gateway-responses";
import { MockIntegration } from "./mock-integration";
import { addressOf, named } from "./terraform-names";

export interface ProtectedRestApiProps {
  readonly restApi: ApiGatewayRestApi;
  /** Shown in the `WWW-Authenticate` realm. */
  readonly realm: string;
  readonly stageName: string;
  readonly routes: readonly Route[];
  /** Cognito user pool the native authorizer trusts. */
  readonly userPoolArn: string;
  /** Full scope identifier for a scope name (interpolates the resource server). */
  readonly scopeIdentifier: (name: string) => string;
  /** The scope checker's REQUEST authorizer, required when a route uses it. */
  readonly scopeCheckerAuthorizer?: ApiGatewayAuthorizer;
  /** Extra stage settings (access logs), merged into the stage. */
  readonly stageOptions?: Partial<ApiGatewayStageConfig>;
  /** Resources a deployment snapshot must include and wait for (e.g. the resource policy). */
  readonly deploymentParts?: readonly TerraformResource[];
  /** Keys of the routes that require the usage-plan API key (the scope checker supplies it). */
  readonly meteredRoutes?: ReadonlySet<string>;
}

export class ProtectedRestApi extends Construct {
  readonly cognitoAuthorizer: ApiGatewayAuthorizer;
  readonly methods: ReadonlyMap<string, ApiGatewayMethod>;
  readonly deployment: ApiGatewayDeployment;
  readonly stage: ApiGatewayStage;

  constructor(scope: Construct, id: string, props: ProtectedRestApiProps) {
    super(scope, id);
    const restApiId = props.restApi.id;

    this.cognitoAuthorizer = named(
      new ApiGatewayAuthorizer(this, "cognito-authorizer", {
        name: "cognito-user-pool",
        restApiId,
        type: "COGNITO_USER_POOLS",
        providerArns: [props.userPoolArn],
        identitySource: "method.request.header.Authorization",
      }),
      "cognito",
    );

    // Shared prefixes share one resource; parents come before children.
    const resourceIds = new Map<string, string>([["/", props.restApi.rootResourceId]]);
    const parts: TerraformResource[] = [];
    for (const node of resourceTree(props.routes.map((r) => r.path))) {
      const resource = named(
        new ApiGatewayResource(this, `resource-${node.key}`, {
          restApiId,
          parentId: resourceIds.get(node.parentPath)!,
          pathPart: node.pathPart,
        }),
        `resource_${node.key}`,
      );
      resourceIds.set(node.path, resource.id);
      parts.push(resource);
    }

    const methods = new Map<string, ApiGatewayMethod>();
    for (const route of props.routes) {
      const method = named(
        new ApiGatewayMethod(this, `method-${route.key}`, {
          restApiId,
          resourceId: resourceIds.get(route.path)!,
          httpMethod: route.method,
          ...this.authorization(route, props),
          ...(props.meteredRoutes?.has(route.key) ? { apiKeyRequired: true } : {}),
        }),
        route.key,
      );
      const mock = new MockIntegration(this, `mock-${route.key}`, { method, name: route.key, response: route.response });
      methods.set(route.key, method);
      parts.push(method, ...mock.resources);
    }
    this.methods = methods;

    parts.push(this.cognitoAuthorizer, ...createGatewayResponses(this, restApiId, props.realm));
    if (props.scopeCheckerAuthorizer) parts.push(props.scopeCheckerAuthorizer);
    parts.push(...(props.deploymentParts ?? []));

    this.deployment = named(
      new ApiGatewayDeployment(this, "deployment", {
        restApiId,
        description: "Managed by cognito-m2m",
        // A deployment is a snapshot: hash every part of the API as Terraform sees it, so any
        // change (even an in-place one such as a method's scopes) makes a new deployment.
        triggers: { redeployment: `\${sha1(jsonencode([${parts.map(addressOf).join(", ")}]))}` },
        // The new snapshot exists before the stage moves to it, and the old one is deleted after.
        lifecycle: { createBeforeDestroy: true },
        // On the first apply, deploy only once every method, integration and response exists.
        dependsOn: parts,
      }),
      "deployment",
    );

    this.stage = named(
      new ApiGatewayStage(this, "stage", {
        ...props.stageOptions,
        restApiId,
        deploymentId: this.deployment.id,
        stageName: props.stageName,
        xrayTracingEnabled: true,
      }),
      "stage",
    );
  }

  private authorization(route: Route, props: ProtectedRestApiProps) {
    if (route.authorizer === "scope-checker") {
      if (!props.scopeCheckerAuthorizer) throw new Error(`route ${route.method} ${route.path} uses the scope checker, which this API was not given`);
      return { authorization: "CUSTOM", authorizerId: props.scopeCheckerAuthorizer.id };
    }
    // Without authorization_scopes a COGNITO_USER_POOLS method accepts only ID tokens;
    // client-credentials tokens are access tokens, so scopes are always set (any-of).
    return {
      authorization: "COGNITO_USER_POOLS",
      authorizerId: this.cognitoAuthorizer.id,
      authorizationScopes: route.scopes.map((s) => props.scopeIdentifier(s)),
    };
  }
}
