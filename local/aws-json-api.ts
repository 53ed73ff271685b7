/**
 * The AWS JSON 1.1 protocol, enough of it for the offline environment to answer the AWS SDK v3
 * (pointed at it with `endpoint`): `POST /` with `X-Amz-Target: <Service>.<Operation>` and a JSON
 * body; success is `200` with a JSON body, failure is `400` with `{"__type", "message"}` (the SDK
 * reads the error's name from `__type` or the `x-amzn-errortype` header). Requests are not
 * signature-checked: the offline environment listens on 127.0.0.1 only.
 *
 * A fault can be injected per operation (`injectFault`), so tests of callers (the rotation
 * function) can make the N next calls of one operation fail the way AWS fails, over real HTTP.
 */
import { headerValue, type LocalRequest, type LocalResponse } from "./http-types";

export type AwsJsonOperation = (input: Record<string, unknown>) => unknown | Promise<unknown>;

/** A modelled AWS error: its `__type` (e.g. `ResourceNotFoundException`), message and status. */
export class AwsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "AwsApiError";
  }
}

export interface InjectedFault {
  /** `<Service>.<Operation>` as in X-Amz-Target, e.g. `secretsmanager.PutSecretValue`. */
  readonly target: string;
  /** How many of the next calls fail. @default 1 */
  readonly times?: number;
  /** @default "InternalServiceError" */
  readonly type?: string;
  /** @default 500 */
  readonly status?: number;
  /** Run the operation first and fail afterwards (the request took effect, the answer was lost). */
  readonly afterEffect?: boolean;
}

export interface AwsJsonApi {
  /** Undefined when the request is not an AWS JSON call this API serves. */
  handle(request: LocalRequest): Promise<LocalResponse> | undefined;
  injectFault(fault: InjectedFault): void;
  /** Calls served so far, per target (tests read it to check idempotency). */
  readonly calls: ReadonlyMap<string, number>;
}

const CONTENT_TYPE = "application/x-amz-json-1.1";

function reply(status: number, body: unknown, headers: Record<string, string> = {}): LocalResponse {
  return { status, headers: { "content-type": CONTENT_TYPE, ...headers }, body: JSON.stringify(body ?? {}) };
}

function errorReply(error: AwsApiError): LocalResponse {
  return reply(error.status, { __type: error.type, message: error.message }, { "x-amzn-errortype": error.type });
}

/** One API over several services: `operations` keyed by full target (`<Service>.<Operation>`). */
export function createAwsJsonApi(operations: Readonly<Record<string, AwsJsonOperation>>): AwsJsonApi {
  const faults: { fault: InjectedFault; left: number }[] = [];
  const calls = new Map<string, number>();

  async function serve(target: string, operation: AwsJsonOperation, request: LocalRequest): Promise<LocalResponse> {
    calls.set(target, (calls.get(target) ?? 0) + 1);
    const pending = faults.find((f) => f.fault.target === target && f.left > 0);
    if (pending) pending.left--;
    const fail = () => errorReply(new AwsApiError(pending!.fault.type ?? "InternalServiceError", "injected fault", pending!.fault.status ?? 500));
    if (pending && !pending.fault.afterEffect) return fail();
    let input: Record<string, unknown>;
    try {
      const parsed: unknown = request.body.length === 0 ? {} : JSON.parse(request.body.toString("utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      input = parsed as Record<string, unknown>;
    } catch {
      return errorReply(new AwsApiError("SerializationException", "the request body is not a JSON object"));
    }
    try {
      const output = await operation(input);
      return pending ? fail() : reply(200, output);
    } catch (error) {
      if (error instanceof AwsApiError) return errorReply(error);
      throw error;
    }
  }

  return {
    handle(request) {
      if (request.method !== "POST" || request.path !== "/") return undefined;
      const target = headerValue(request.headers, "x-amz-target");
      if (target === undefined) return undefined;
      const operation = operations[target];
      if (!operation) return Promise.resolve(errorReply(new AwsApiError("UnknownOperationException", `${target} is not emulated offline`)));
      return serve(target, operation, request);
    },
    injectFault(fault) {
      faults.push({ fault, left: fault.times ?? 1 });
    },
    calls,
  };
}

/** A required string field of a request, or the ValidationException AWS answers. */
export function requiredString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== "string" || value === "") throw new AwsApiError("InvalidParameterException", `${field} is required`);
  return value;
}

export function optionalString(input: Record<string, unknown>, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new AwsApiError("InvalidParameterException", `${field} must be a string`);
  return value;
}
