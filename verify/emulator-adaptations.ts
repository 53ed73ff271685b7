/**
 * Changes the emulator copy makes so moto 5.2.1 can apply what AWS accepts, each with the moto
 * defect it works around. Unlike exclusions (verify/emulator-exclusions) the resource is applied;
 * the change is printed per resource, so nobody mistakes the emulator's document for the stack's.
 */

export interface EmulatorAdaptation {
  readonly type: string;
  readonly reason: string;
  /** Rewrites one resource body in place; returns false when it had nothing to change. */
  adapt(body: Record<string, unknown>): boolean;
}

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"]);

/**
 * moto's PutRestApi calls its put_integration with `uri` and `httpMethod` as required arguments,
 * so a MOCK integration (which has neither) fails with a 500 (TypeError in
 * moto/apigateway/models.py put_rest_api). The copy adds `uri: ""` and `httpMethod: "POST"` to
 * mock integrations only; API Gateway ignores both for MOCK.
 */
function addMockIntegrationTarget(body: Record<string, unknown>): boolean {
  if (typeof body.body !== "string") throw new Error("the put's body is not a literal document; the emulator adaptation cannot read it");
  const document = JSON.parse(body.body) as { paths?: Record<string, Record<string, any>> };
  let changed = false;
  for (const item of Object.values(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      const integration = HTTP_METHODS.has(method.toLowerCase()) ? operation?.["x-amazon-apigateway-integration"] : undefined;
      if (!integration || String(integration.type).toLowerCase() !== "mock") continue;
      if (integration.uri === undefined) integration.uri = "";
      if (integration.httpMethod === undefined) integration.httpMethod = "POST";
      changed = true;
    }
  }
  if (changed) body.body = JSON.stringify(document);
  return changed;
}

export const EMULATOR_ADAPTATIONS: readonly EmulatorAdaptation[] = [
  {
    type: "aws_api_gateway_rest_api_put",
    reason: 'mock integrations get uri "" and httpMethod POST (ignored by API Gateway for MOCK): moto 5.2.1 PutRestApi requires both and answers 500 without them',
    adapt: addMockIntegrationTarget,
  },
];
