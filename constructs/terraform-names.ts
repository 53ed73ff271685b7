/**
 * Readable, stable Terraform addresses. cdktf's default logical ids carry a hash suffix
 * (`api_route_get-premium_method_1A2B3C4D`); reviewers read plans, so every resource gets a
 * name derived from the config instead (`aws_api_gateway_method.get_premium`).
 */
import type { TerraformElement, TerraformResource } from "cdktf";

/** Gives a resource (or output, data source) a fixed Terraform name and returns it. */
export function named<T extends TerraformElement>(element: T, name: string): T {
  element.overrideLogicalId(name.replace(/[^A-Za-z0-9_-]/g, "_"));
  return element;
}

/** The Terraform address of a resource, e.g. `aws_api_gateway_method.get_premium`. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}
