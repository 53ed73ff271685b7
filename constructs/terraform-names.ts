/**
 * Readable, stable Terraform addresses. cdktf's default logical ids carry a hash suffix
 * (`api_route_get-premium_method_1A2B3C4D`); reviewers read plans, so every resource gets a
 * name derived from the config instead (`aws_api_gateway_method.get_premium`).
 *
 * With several APIs in a stack, each API's resources live under a construct of their own (see
 * `apiScope`), and every name given there carries that API's prefix
 * (`aws_api_gateway_rest_api.content_rest_api`): the constructs that build an API's resources
 * name them as they always did, and two APIs never share an address.
 */
import type { TerraformElement, TerraformResource } from "cdktn";
import { Construct } from "constructs";

/** Context key of the Terraform name prefix of an API's construct (inherited by everything under it). */
const TERRAFORM_PREFIX = "cognito-m2m:terraformPrefix";
/** Context key of the prefix of the files (zip archives) the API's resources write into the stack directory. */
const FILE_PREFIX = "cognito-m2m:filePrefix";

/** Gives a resource (or output, data source) a fixed Terraform name and returns it. */
export function named<T extends TerraformElement>(element: T, name: string): T {
  const prefix = (element.node.tryGetContext(TERRAFORM_PREFIX) as string | undefined) ?? "";
  element.overrideLogicalId(`${prefix}${name}`.replace(/[^A-Za-z0-9_-]/g, "_"));
  return element;
}

/**
 * A file name in the stack directory (an archive's `output_path`), prefixed like the API that
 * writes it: two APIs' scope checkers would otherwise zip different access files to one path.
 */
export function stackFileName(scope: Construct, name: string): string {
  return `${(scope.node.tryGetContext(FILE_PREFIX) as string | undefined) ?? ""}${name}`;
}

/**
 * The construct one API's resources are built in: `terraformPrefix` starts every Terraform
 * name given under it, `filePrefix` every archive file name.
 */
export function apiScope(scope: Construct, id: string, prefixes: { readonly terraformPrefix: string; readonly filePrefix: string }): Construct {
  const construct = new Construct(scope, id);
  construct.node.setContext(TERRAFORM_PREFIX, prefixes.terraformPrefix);
  construct.node.setContext(FILE_PREFIX, prefixes.filePrefix);
  return construct;
}

/** The Terraform address of a resource, e.g. `aws_api_gateway_method.get_premium`. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}
