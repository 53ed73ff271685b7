/**
 * The REST API's contents and what serves them: the OpenAPI document put onto the REST API
 * (routes, authorizers, integrations, gateway responses, resource policy), a deployment that
 * snapshots exactly that document and is replaced whenever the document changes, and the stage.
 *
 * Why one document instead of one Terraform resource per method: a deployment serves whatever
 * the API holds when it is created. With create_before_destroy on the deployment, a removed
 * method was destroyed only after the new deployment (which still contained it) was live, so
 * removed routes kept answering. The put replaces the whole API definition before the new
 * deployment exists, and the deployment's trigger hashes the document as configured (never
 * attributes read back from AWS), so a plan is quiet unless the document changes.
 */
import { ApiGatewayDeployment } from "@cdktn/provider-aws/lib/api-gateway-deployment";
import type { ApiGatewayRestApi } from "@cdktn/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayRestApiPut } from "@cdktn/provider-aws/lib/api-gateway-rest-api-put";
import { ApiGatewayStage, type ApiGatewayStageConfig } from "@cdktn/provider-aws/lib/api-gateway-stage";
import { Construct } from "constructs";
import { openApiBody } from "./openapi-json";
import { restApiDefinition, type RestApiDefinitionInput } from "./rest-api-definition";
import { addressOf, named } from "./terraform-names";

export interface ProtectedRestApiProps {
  readonly restApi: ApiGatewayRestApi;
  readonly stageName: string;
  /**
   * What the API serves. Its title and description must be the REST API's own name and
   * description: overwrite mode sets both from the document.
   */
  readonly definition: RestApiDefinitionInput;
  /** Extra stage settings (access logs), merged into the stage. */
  readonly stageOptions?: Partial<ApiGatewayStageConfig>;
}

export class ProtectedRestApi extends Construct {
  readonly definition: ApiGatewayRestApiPut;
  readonly deployment: ApiGatewayDeployment;
  readonly stage: ApiGatewayStage;

  constructor(scope: Construct, id: string, props: ProtectedRestApiProps) {
    super(scope, id);
    const { restApi } = props;

    this.definition = named(
      new ApiGatewayRestApiPut(this, "definition", {
        restApiId: restApi.id,
        body: openApiBody(restApiDefinition(props.definition)),
        // A warning (e.g. an unsupported extension) fails the put instead of half-applying it.
        failOnWarnings: true,
      }),
      "api",
    );

    this.deployment = named(
      new ApiGatewayDeployment(this, "deployment", {
        restApiId: restApi.id,
        description: "Managed by cognito-m2m",
        // The document as configured, not resources as AWS reads them back: the deployment is
        // replaced exactly when what the API serves changes.
        triggers: { redeployment: `\${sha1(${addressOf(this.definition)}.body)}` },
        // The new snapshot exists before the stage moves to it, and the old one is deleted after.
        lifecycle: { createBeforeDestroy: true },
        // Snapshot only once the document is on the API.
        dependsOn: [this.definition],
      }),
      "deployment",
    );

    this.stage = named(
      new ApiGatewayStage(this, "stage", {
        ...props.stageOptions,
        restApiId: restApi.id,
        deploymentId: this.deployment.id,
        stageName: props.stageName,
        xrayTracingEnabled: true,
      }),
      "stage",
    );
  }
}
