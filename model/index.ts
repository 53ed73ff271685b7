export * from "./access";
export * from "./aws-limits";
export * from "./aws-urls";
export * from "./config-types";
export * from "./model-types";
export * from "./paths";
export * from "./problems";
export { validateConfig } from "./validate";
