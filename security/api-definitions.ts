/**
 * The REST API's OpenAPI documents as the rules read them: the body of every
 * `aws_api_gateway_rest_api_put`, parsed, with its operations and its authorizers. The body is a
 * JSON string whose string values may hold `${...}` interpolations; a body that is anything
 * else (an expression, invalid JSON) cannot be checked, and the rules fail it rather than guess.
 */
import { resourcesOf, type TerraformJson } from "./terraform-json";

const OPERATION_KEYS = ["get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"];

export interface ApiOperation {
  /** `GET /orders/{id}` (`ANY` for API Gateway's any-method). */
  readonly id: string;
  readonly operation: Readonly<Record<string, any>>;
}

export interface ApiAuthorizer {
  readonly name: string;
  /** `x-amazon-apigateway-authtype`: `cognito_user_pools`, `custom`, ... */
  readonly authType: unknown;
  /** `x-amazon-apigateway-authorizer`. */
  readonly authorizer: Readonly<Record<string, any>>;
}

export type ApiDefinition =
  | { readonly address: string; readonly restApiId: unknown; readonly document: Readonly<Record<string, any>> }
  | { readonly address: string; readonly restApiId: unknown; readonly unreadable: string };

const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);

export function apiDefinitionsOf(json: TerraformJson): ApiDefinition[] {
  return resourcesOf(json, "aws_api_gateway_rest_api_put").map((put) => {
    const { body, rest_api_id: restApiId } = put.body;
    if (typeof body !== "string") return { address: put.address, restApiId, unreadable: "body is not a string" };
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      return { address: put.address, restApiId, unreadable: "body is not a literal JSON OpenAPI document" };
    }
    if (!isObject(document) || !isObject(document.paths)) return { address: put.address, restApiId, unreadable: "body has no paths object" };
    return { address: put.address, restApiId, document };
  });
}

export function operationsOf(document: Readonly<Record<string, any>>): ApiOperation[] {
  const out: ApiOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!isObject(item)) continue;
    for (const [key, operation] of Object.entries(item)) {
      // Any other key (`parameters`, `summary`, a misspelt method) is not an operation API Gateway creates.
      if (!OPERATION_KEYS.includes(key) || !isObject(operation)) continue;
      const method = key === "x-amazon-apigateway-any-method" ? "ANY" : key.toUpperCase();
      out.push({ id: `${method} ${path}`, operation });
    }
  }
  return out;
}

export function authorizersOf(document: Readonly<Record<string, any>>): Map<string, ApiAuthorizer> {
  const schemes = document.components?.securitySchemes;
  const out = new Map<string, ApiAuthorizer>();
  if (!isObject(schemes)) return out;
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isObject(scheme)) continue;
    out.set(name, { name, authType: scheme["x-amazon-apigateway-authtype"], authorizer: isObject(scheme["x-amazon-apigateway-authorizer"]) ? scheme["x-amazon-apigateway-authorizer"] : {} });
  }
  return out;
}

/**
 * The security requirements that apply to an operation: its own, or the document's default.
 * An empty list (`security: []`) means no authorization at all.
 */
export function securityOf(document: Readonly<Record<string, any>>, operation: Readonly<Record<string, any>>): unknown {
  return operation.security ?? document.security;
}
