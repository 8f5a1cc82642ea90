/* The one API client. Every call names a path of the OpenAPI document
 * (src/api/openapi.json, turned into ./schema.d.ts at build time), so a
 * call to a route the document lacks, or with a body it does not accept,
 * fails the type check that `make build` runs before bundling.
 *
 * The session cookie travels by itself (same origin); every change sends
 * the session's CSRF token. A 401 on anything but the login itself tells
 * the session layer the session is over. */
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { ApiError, type ErrorBody } from "./errors";

export type Schemas = components["schemas"];

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isMutation(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

const session: Middleware = {
  onRequest({ request }) {
    if (isMutation(request.method) && csrfToken) request.headers.set("X-CSRF-Token", csrfToken);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith("/api/auth/login"))
      onUnauthorized?.();
    return response;
  },
};

/* fetch is looked up per call (not captured once), so tests can stand in. */
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  credentials: "same-origin",
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(session);

type Result<T> = { data?: T; error?: unknown; response: Response };

/* The body of a successful answer, or an ApiError carrying the house
 * error format ({"error":{"code","message","field"}}). For TanStack
 * Query's queryFn/mutationFn, which expect a throw on failure. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (e) {
    throw new ApiError(0, "network", e instanceof Error ? e.message : "the cell did not answer");
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const body = (error ?? null) as ErrorBody | null;
  const err = body && typeof body === "object" && "error" in body ? body.error : null;
  throw new ApiError(
    response.status,
    err?.code ?? "http_" + response.status,
    err?.message ?? `${response.status} ${response.statusText}`,
    err?.field,
    response.headers.get("Retry-After"),
  );
}
