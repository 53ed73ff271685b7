/**
 * M2M-EDG-002: a REST API served by a mutual-TLS domain has its execute-api endpoint disabled,
 * on the REST API and in the OpenAPI document the put applies (overwrite mode sets endpoint
 * settings from the document), or anyone could call it around the domain's certificate check.
 */
import { referencesInExpression } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, findByAddress, resourcesOf } from "../terraform-json";

function disabledInDocument(body: unknown): boolean {
  if (typeof body !== "string") return false;
  try {
    const servers = (JSON.parse(body) as { servers?: unknown }).servers;
    return Array.isArray(servers) && servers.length > 0 && servers.every((s) => (s as Record<string, any>)?.["x-amazon-apigateway-endpoint-configuration"]?.disableExecuteApiEndpoint === true);
  } catch {
    return false;
  }
}

export const mtlsNotBypassedRule: SecurityRule = {
  id: "M2M-EDG-002",
  rationale: "A REST API behind a mutual-TLS domain has its execute-api endpoint disabled (REST API and put document), so mTLS cannot be gone around",
  resourceTypes: ["aws_api_gateway_domain_name", "aws_api_gateway_base_path_mapping", "aws_api_gateway_rest_api", "aws_api_gateway_rest_api_put"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const mtlsDomains = new Set(resourcesOf(json, "aws_api_gateway_domain_name").filter((d) => blockOf(d.body.mutual_tls_authentication)?.truststore_uri !== undefined).map((d) => d.address));
    for (const mapping of resourcesOf(json, "aws_api_gateway_base_path_mapping")) {
      const domain = referencesInExpression(String(mapping.body.domain_name ?? "")).find((r) => r.address.startsWith("aws_api_gateway_domain_name."));
      if (!domain || !mtlsDomains.has(domain.address)) continue;
      out.checked(mapping.address);
      const api = referencesInExpression(String(mapping.body.api_id ?? "")).find((r) => r.address.startsWith("aws_api_gateway_rest_api."));
      const restApi = api && findByAddress(json, api.address);
      if (!restApi) {
        out.fail(mapping.address, "maps no REST API of this stack: its execute-api endpoint cannot be checked");
        continue;
      }
      out.expect(restApi.address, restApi.body.disable_execute_api_endpoint === true, `is served by the mutual-TLS domain ${domain.address} but disable_execute_api_endpoint is not true`);
      const puts = resourcesOf(json, "aws_api_gateway_rest_api_put").filter((p) => referencesInExpression(String(p.body.rest_api_id ?? "")).some((r) => r.address === restApi.address));
      if (puts.length === 0) out.fail(restApi.address, "has no aws_api_gateway_rest_api_put whose document could be checked");
      for (const put of puts) out.expect(put.address, disabledInDocument(put.body.body), `puts a document without servers[].x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint true (overwrite mode would turn the execute-api endpoint of ${restApi.address} back on)`);
    }
    return out.outcome();
  },
};
