/**
 * A MOCK integration that answers with a fixed status and JSON body: the integration, its
 * response, and the method response it maps to.
 */
import type { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { Construct } from "constructs";
import { named } from "./terraform-names";

export interface MockIntegrationProps {
  readonly method: ApiGatewayMethod;
  /** Terraform name shared by the three resources (their types differ). */
  readonly name: string;
  readonly response: { readonly status: number; readonly body: unknown };
}

export class MockIntegration extends Construct {
  readonly integration: ApiGatewayIntegration;
  readonly methodResponse: ApiGatewayMethodResponse;
  readonly integrationResponse: ApiGatewayIntegrationResponse;

  constructor(scope: Construct, id: string, props: MockIntegrationProps) {
    super(scope, id);
    const { method } = props;
    const target = { restApiId: method.restApiId, resourceId: method.resourceId, httpMethod: method.httpMethod };
    const status = String(props.response.status);

    this.integration = named(
      new ApiGatewayIntegration(this, "integration", {
        ...target,
        type: "MOCK",
        // The mock reads the status code from the request template.
        requestTemplates: { "application/json": JSON.stringify({ statusCode: props.response.status }) },
        // Never pass an unmapped request body through: other content types get 415.
        passthroughBehavior: "NEVER",
      }),
      props.name,
    );
    this.methodResponse = named(
      new ApiGatewayMethodResponse(this, "method-response", {
        ...target,
        statusCode: status,
        responseModels: { "application/json": "Empty" },
      }),
      props.name,
    );
    this.integrationResponse = named(
      new ApiGatewayIntegrationResponse(this, "integration-response", {
        ...target,
        // Referencing the method response orders it first; the integration must exist too.
        statusCode: this.methodResponse.statusCode,
        responseTemplates: { "application/json": JSON.stringify(props.response.body) },
        dependsOn: [this.integration],
      }),
      props.name,
    );
  }

  get resources() {
    return [this.integration, this.methodResponse, this.integrationResponse];
  }
}
