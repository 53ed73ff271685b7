/**
 * Fixtures for the report tests: the default config, deep-copied so a test can edit it freely,
 * and validated with the real validator (a fixture that does not validate fails the test).
 */
import defaultConfig from "../fixtures/single-api.config";
import type { MultiApiConfigInput, SingleApiConfigInput } from "../../model/config-types";
import type { M2MModel } from "../../model/model-types";
import { validateConfig } from "../../model/validate";
import { environmentAccess, type EnvironmentAccess } from "../../reports/environment-access";

/** Mutable deep copy of a config (`readonly` is a compile-time promise only); either form's fields. */
export type EditableConfig = { [K in keyof SingleApiConfigInput | keyof MultiApiConfigInput]?: any } & { clients: any; environments: any };

export function editableDefaultConfig(): EditableConfig {
  return structuredClone(defaultConfig) as EditableConfig;
}

export function modelOf(config: unknown = defaultConfig): M2MModel {
  return validateConfig(config);
}

/** The default config with `edit` applied, validated. */
export function editedModel(edit: (config: EditableConfig) => void): M2MModel {
  const config = editableDefaultConfig();
  edit(config);
  return validateConfig(config);
}

export function accessOf(model: M2MModel, environment: string): EnvironmentAccess {
  const env = model.environments.find((e) => e.name === environment);
  if (!env) throw new Error(`no environment ${environment} in the fixture`);
  return environmentAccess(model, env);
}

export function clientNamed(config: EditableConfig, name: string): any {
  const client = config.clients.find((c: { name: string }) => c.name === name);
  if (!client) throw new Error(`no client ${name} in the default config`);
  return client;
}

export function routeNamed(config: EditableConfig, method: string, path: string): any {
  const route = config.routes.find((r: { method: string; path: string }) => r.method === method && r.path === path);
  if (!route) throw new Error(`no route ${method} ${path} in the default config`);
  return route;
}
