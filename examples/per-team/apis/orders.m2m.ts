/** The orders team's API and the clients it sponsors (CODEOWNERS: @acme/orders-team). */
import { defineApi } from "../../../model/config-types";

export default defineApi({
  name: "orders",
  resourceServerName: "Orders API",
  owners: ["@acme/orders-team"],
  scopes: [
    { name: "read", description: "Read orders" },
    { name: "place-order", description: "Place an order" },
  ],
  routes: [
    { method: "GET", path: "/orders/{id}", scopes: ["read"], description: "Reads one order", response: { status: 200, body: { status: "open" } } },
    { method: "POST", path: "/orders", scopes: ["place-order"], description: "Places an order", response: { status: 201, body: { placed: true } } },
  ],
  clients: [
    // A scope without a prefix is this API's.
    { name: "webshop", description: "The partner webshop", scopes: ["read", "place-order"] },
  ],
});
