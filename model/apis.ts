/**
 * Reading the model's APIs: every route across APIs, and the Terraform name
 * part that keeps each API's resources apart in a stack.
 */
import type { Api, M2MModel, Route } from "./model-types";

/** Every route of every API, API by API in config order. */
export function allRoutes(model: Pick<M2MModel, "apis">): Route[] {
  return model.apis.flatMap((api) => api.routes);
}

/**
 * What prefixes the Terraform names of one API's resources: nothing in the one-API form (its
 * addresses stay what they always were), `<api>_` with several APIs (`-` folded to `_`), so
 * adding or removing an API never renames another's resources.
 */
export function terraformPrefix(model: Pick<M2MModel, "layout">, api: Pick<Api, "name">): string {
  return model.layout === "single-api" ? "" : `${api.name.replace(/-/g, "_")}_`;
}
