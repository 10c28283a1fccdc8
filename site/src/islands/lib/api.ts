/**
 * The browser's API client: Hono's typed `hc<AppType>` over a fetch that
 * carries the in-memory access token, refreshes it silently through the
 * HttpOnly refresh cookie (one refresh in flight at a time), retries the
 * original request once, and ends the session cleanly when the server says
 * the session is gone (expired, revoked, or a reused refresh token).
 */
import { type ClientResponse, hc } from "hono/client";
import type { ResponseFormat } from "hono/types";
import type { AppType } from "../../../../api/app.ts";

const REFRESH_PATH = "/api/v1/auth/refresh";
/** Refresh a little before expiry, so a request never leaves with a token that dies on the way. */
const EXPIRY_MARGIN_MS = 30_000;

/** One refused field of a 422: `code` says why (api/lib/errors.ts), `message` is the API's note for developers. */
export interface FieldError {
  path: string;
  code?: string;
  message: string;
  minimum?: number;
  maximum?: number;
}

/** A refusal from the API, parsed from its problem+json body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[];

  constructor(status: number, code: string, message: string, errors: FieldError[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const problem = await response.json().catch(() => undefined) as
    | { code?: string; detail?: string; title?: string; errors?: FieldError[] }
    | undefined;
  return new ApiError(
    response.status,
    problem?.code ?? `http_${response.status}`,
    problem?.detail ?? problem?.title ?? response.statusText,
    problem?.errors ?? [],
  );
}

interface AccessToken {
  value: string;
  expiresAt: number;
}

let accessToken: AccessToken | undefined;
let refreshing: Promise<boolean> | undefined;
const sessionEndedListeners = new Set<(error: ApiError) => void>();

export function setAccessToken(value: string, expiresInSeconds: number): void {
  accessToken = { value, expiresAt: Date.now() + expiresInSeconds * 1000 };
}

export function clearAccessToken(): void {
  accessToken = undefined;
}

export function hasAccessToken(): boolean {
  return accessToken !== undefined;
}

/** Called when a refresh is refused: the session is over and whoever shows it must forget it. */
export function onSessionEnded(listener: (error: ApiError) => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

/**
 * Trades the refresh cookie for a new access token. Concurrent callers share
 * one request: two refreshes with the same cookie would look like token reuse.
 * Resolves false when there is no session (any 401, reuse detection included).
 */
export function refreshAccessToken(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const response = await fetch(REFRESH_PATH, { method: "POST", credentials: "same-origin" });
      if (response.ok) {
        const body = await response.json() as { accessToken: string; expiresIn: number };
        setAccessToken(body.accessToken, body.expiresIn);
        return true;
      }
      const error = await toApiError(response);
      if (response.status !== 401) throw error;
      clearAccessToken();
      for (const listener of sessionEndedListeners) listener(error);
      return false;
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

function withToken(init: RequestInit | undefined, token: string | undefined): RequestInit {
  const headers = new Headers(init?.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  return { ...init, headers, credentials: "same-origin" };
}

/** `fetch` with the session: token attached, refreshed ahead of expiry, one retry after a 401. */
export async function sessionFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  if (accessToken && accessToken.expiresAt - EXPIRY_MARGIN_MS < Date.now()) await refreshAccessToken();
  const sentWith = accessToken?.value;
  const response = await fetch(input, withToken(init, sentWith));
  if (response.status !== 401 || sentWith === undefined) return response;
  // The token expired or was revoked in flight: refresh once (unless another request already did) and retry.
  if (accessToken?.value === sentWith && !(await refreshAccessToken())) return response;
  if (!accessToken) return response;
  return fetch(input, withToken(init, accessToken.value));
}

export const client = hc<AppType>(globalThis.location?.origin ?? "http://localhost", { fetch: sessionFetch });
export const api = client.api.v1;

type SuccessBody<R> = R extends ClientResponse<infer T, infer Status, infer _Format>
  ? Status extends 200 | 201 | 202 ? T : Status extends 204 ? undefined : never
  : never;

/**
 * Awaits a typed client call and returns its success body (undefined for 204),
 * or throws `ApiError`. Network failures reject with the browser's TypeError,
 * which the query client retries and 4xx answers it does not.
 */
export async function call<R extends ClientResponse<unknown, number, ResponseFormat>>(
  request: Promise<R>,
): Promise<SuccessBody<R>> {
  const response = await request;
  if (!response.ok) throw await toApiError(response as unknown as Response);
  if (response.status === 204) return undefined as SuccessBody<R>;
  return await response.json() as SuccessBody<R>;
}
