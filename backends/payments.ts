/**
 * `POST /payments` (the default config's real backend): accepts a payment for the calling
 * client and answers 202 with the client id and the payment as accepted. It keeps nothing:
 * it shows what a handler receives (the caller from `callerOf`, the JSON body) and how it
 * answers. A body that is not a payment is 400; it never echoes headers or the raw event.
 */
import { randomUUID } from "node:crypto";
import { callerOf, CallerUnknownError } from "./caller";
import type { RestProxyEvent, RestProxyResult } from "./proxy-types";

export interface PaymentRequest {
  /** Minor units (cents), a positive whole number. */
  readonly amount: number;
  /** ISO 4217 code, e.g. `EUR`. */
  readonly currency: string;
  readonly reference?: string;
}

const json = (statusCode: number, body: unknown): RestProxyResult => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** The payment in a request body, or why it is not one. */
export function parsePayment(body: string | null, isBase64Encoded: boolean): PaymentRequest | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(isBase64Encoded ? Buffer.from(body ?? "", "base64").toString("utf8") : (body ?? ""));
  } catch {
    return { problem: "body must be JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { problem: "body must be a JSON object" };
  const { amount, currency, reference } = value as Record<string, unknown>;
  if (typeof amount !== "number" || !Number.isInteger(amount) || amount <= 0) return { problem: "amount must be a positive whole number (minor units)" };
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) return { problem: "currency must be an ISO 4217 code such as EUR" };
  if (reference !== undefined && (typeof reference !== "string" || reference.length > 140)) return { problem: "reference must be a string of at most 140 characters" };
  return { amount, currency, ...(reference === undefined ? {} : { reference }) };
}

export async function handler(event: RestProxyEvent): Promise<RestProxyResult> {
  let clientId: string;
  try {
    clientId = callerOf(event).clientId;
  } catch (error) {
    // API Gateway's authorizer runs first, so this is a miswired route: refuse, do not guess.
    if (error instanceof CallerUnknownError) return json(403, { message: "no caller identity" });
    throw error;
  }
  const payment = parsePayment(event.body, event.isBase64Encoded);
  if ("problem" in payment) return json(400, { message: payment.problem });
  return json(202, { status: "accepted", paymentId: randomUUID(), clientId, payment });
}
