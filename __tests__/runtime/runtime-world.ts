/**
 * Values the runtime tier gives references only an apply resolves (Terraform substitutes them
 * at apply): ids in the test's world, named after the reference so a wrong one is readable.
 */
import type { ReferenceResolver } from "./lambda-artifacts";

/** A Cognito-shaped pool id, a client id per client, a URL-shaped resource server identifier. */
export const placeholderWorld: ReferenceResolver = (reference) => {
  if (/^aws_cognito_user_pool\.[a-z0-9_]+\.id$/.test(reference)) return "eu-west-1_RuntimeTier";
  if (/^aws_cognito_resource_server\.[a-z0-9_]+\.identifier$/.test(reference)) return "https://runtime-tier.example/api";
  const client = /^aws_cognito_user_pool_client\.([a-z0-9_]+)\.id$/.exec(reference);
  if (client) return `client-${client[1]}`;
  throw new Error(`the runtime tier has no value for ${reference}`);
};
