/**
 * What the API serves, read two ways:
 *  - from Terraform's plan: the OpenAPI body the plan puts onto the REST API
 *    (`aws_api_gateway_rest_api_put.body`, as planned), as `METHOD /path` lines;
 *  - from the emulator after apply: the REST API's live resources and methods (moto's API).
 * moto does not snapshot deployments (a stage there serves whatever the REST API holds now), so
 * "what the stage serves" on AWS is proven by the plan and the apply graph (the new deployment
 * waits for the put), and the emulator read shows what the put left on the REST API.
 */
import * as http from "node:http";
import type { PlanJson } from "./plan-reading";

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"]);

function routesOfDocument(document: { paths?: Record<string, Record<string, unknown>> }): string[] {
  const routes: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(item)) if (HTTP_METHODS.has(method.toLowerCase())) routes.push(`${method.toUpperCase()} ${path}`);
  }
  return routes.sort();
}

/** The planned put bodies (one per REST API), parsed; throws when a body is not known at plan time. */
export function plannedApiDocuments(plan: PlanJson): { address: string; document: any }[] {
  return (plan.resource_changes ?? [])
    // Every put that exists after the apply (created, replaced, updated or unchanged).
    .filter((rc) => rc.mode === "managed" && rc.type === "aws_api_gateway_rest_api_put" && rc.change.actions.join(",") !== "delete")
    .map((rc) => {
      const body = rc.change.after?.body;
      if (typeof body !== "string") throw new Error(`${rc.address}: the put's body is not known at plan time`);
      return { address: rc.address as string, document: JSON.parse(body) };
    });
}

/** `METHOD /path` of the one REST API the plan puts. */
export function plannedRoutes(plan: PlanJson): string[] {
  const documents = plannedApiDocuments(plan);
  if (documents.length !== 1) throw new Error(`expected one aws_api_gateway_rest_api_put in the plan, found ${documents.length}`);
  return routesOfDocument(documents[0]!.document);
}

function get(url: string, region: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      {
        agent: false,
        timeout: 10_000,
        // moto routes by the credential scope of the (unchecked) signature: region and service.
        headers: { Authorization: `AWS4-HMAC-SHA256 Credential=AKIAPLACEHOLDER00000/20260101/${region}/apigateway/aws4_request, SignedHeaders=host, Signature=0` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((response.statusCode ?? 500) >= 300) reject(new Error(`GET ${url}: ${response.statusCode} ${text.slice(0, 200)}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`GET ${url}: timeout`)));
    request.on("error", reject);
  });
}

/** `METHOD /path` of every method the REST API holds in the emulator now. */
export async function liveRoutes(endpoint: string, region: string, restApiId: string): Promise<string[]> {
  const page = await get(`${endpoint}/restapis/${restApiId}/resources?limit=500`, region);
  const routes: string[] = [];
  for (const resource of page.item ?? []) for (const method of Object.keys(resource.resourceMethods ?? {})) routes.push(`${method} ${resource.path}`);
  return routes.sort();
}
