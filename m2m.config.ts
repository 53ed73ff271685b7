/**
 * Who may call what: the one file ops engineers edit. `npm run synth` validates it (every
 * problem at once) and writes Terraform for each environment into cdktf.out/stacks/<env>/.
 *
 * One authorization server (a Cognito user pool and its token endpoint per environment) for two
 * teams' APIs. Each API has its own REST API, resource server and scopes, and its owners review
 * changes to it (CODEOWNERS). A client is granted scopes as `<api>:<scope>`, on any API.
 * Teams may keep their API in a file of their own instead: see examples/per-team/.
 * Field reference: model/config-types.ts. How to add an API, a client or a route: README.md.
 */
import { defineConfig } from "./model/config-types";

export default defineConfig({
  name: "m2m-demo",
  owners: ["@acme/platform"],

  apis: [
    {
      name: "content",
      resourceServerName: "Content API",
      owners: ["@acme/content-team"],
      scopes: [
        { name: "hello-world", description: "Call the hello-world endpoint" },
        { name: "read", description: "Read premium content" },
        { name: "write", description: "Create premium content" },
      ],
      routes: [
        {
          method: "GET",
          path: "/hello-world",
          scopes: ["hello-world"],
          description: "Greets a machine caller",
          response: { status: 200, body: { message: "hello world!" } },
        },
        {
          method: "GET",
          path: "/premium",
          scopes: ["read"],
          description: "Reads premium content",
          response: { status: 200, body: { items: [] } },
        },
        {
          method: "POST",
          path: "/premium",
          scopes: ["write"],
          description: "Creates premium content",
          response: { status: 201, body: { created: true } },
        },
      ],
    },
    {
      name: "payments",
      resourceServerName: "Payments API",
      owners: ["@acme/payments-team"],
      scopes: [
        { name: "read", description: "Read payment state" },
        { name: "write", description: "Initiate payments" },
      ],
      routes: [
        {
          // Needs BOTH scopes, which API Gateway's native authorizer cannot express (it matches any-of):
          // the Lambda scope checker guards it, and cuts a disabled client off at once.
          method: "POST",
          path: "/payments",
          scopes: ["read", "write"],
          authorizer: "scope-checker",
          description: "Initiates a payment",
          // A real service: the handler in backends/payments.ts, bundled and deployed as its own
          // Lambda function; it reads the calling client from the authorizer's context.
          backend: { type: "lambda", handler: "backends/payments.ts#handler" },
        },
        {
          method: "GET",
          path: "/payments/{id}",
          scopes: ["read"],
          description: "Reads one payment's state",
          response: { status: 200, body: { status: "settled" } },
        },
      ],
    },
  ],

  clients: [
    { name: "3rd-party", description: "External partner calling hello-world", scopes: ["content:hello-world"] },
    { name: "reader", description: "Internal reporting service", scopes: ["content:read"] },
    { name: "writer", description: "Internal publishing service", scopes: ["content:read", "content:write"] },
    {
      name: "billing",
      description: "Billing service",
      sponsor: "payments",
      scopes: ["payments:read", "payments:write"],
      accessTokenValidity: { value: 15, unit: "minutes" },
    },
    // Holds scopes on both APIs: one token, valid at each API for that API's scopes only.
    { name: "finance-reports", description: "Finance reporting across content and payments", scopes: ["content:read", "payments:read"] },
  ],

  environments: [
    {
      name: "dev",
      region: "eu-west-1",
      domainPrefix: "m2m-demo-dev",
      stageName: "dev",
    },
    {
      name: "prod",
      kind: "production", // deletion protection, access logs, WAF, alarms, longer retention
      region: "eu-west-1",
      domainPrefix: "m2m-demo-prod",
      stageName: "prod",
      // The account-level API Gateway logging role: one per account and region, managed here only.
      accessLogs: { manageAccountRole: true },
      alarms: { emails: ["platform-oncall@example.com"] },
      // State holds every client secret: keep production's in an encrypted, locked S3 bucket.
      // Replace bucket and key with your own before the first deploy.
      backend: { type: "s3", bucket: "acme-terraform-state", key: "cognito-m2m/prod.tfstate", region: "eu-west-1" },
      tags: { CostCenter: "platform" },
    },
  ],
});
