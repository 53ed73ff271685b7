/** The billing team's API and the clients it sponsors (CODEOWNERS: @acme/billing-team). */
import { defineApi } from "../../../model/config-types";

export default defineApi({
  name: "invoices",
  resourceServerName: "Invoices API",
  owners: ["@acme/billing-team"],
  scopes: [
    { name: "read", description: "Read invoices" },
    { name: "issue", description: "Issue an invoice" },
  ],
  routes: [
    { method: "GET", path: "/invoices/{id}", scopes: ["read"], description: "Reads one invoice", response: { status: 200, body: { total: 0 } } },
    { method: "POST", path: "/invoices", scopes: ["issue"], authorizer: "scope-checker", description: "Issues an invoice", response: { status: 201, body: { issued: true } } },
  ],
  clients: [
    // Issues invoices for orders it reads: `orders:read` is a cross-team grant the orders team reviews.
    { name: "invoicer", description: "Invoicing service", scopes: ["issue", "read", "orders:read"] },
  ],
});
