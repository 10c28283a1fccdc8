import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * Why a field was refused, as a stable snake_case code: clients turn `path` and `code` into words of their own
 * (the site's are in site/src/i18n/en.ts), while `message` is a short English note for developers. Lengths and
 * bounds travel in `minimum` / `maximum`.
 */
export const FIELD_ERROR_CODES = [
  "required",
  "too_short",
  "too_long",
  "too_small",
  "too_big",
  "invalid_email",
  "invalid_url",
  "invalid_format",
  "invalid_choice",
  "invalid_type",
  "unknown_field",
  "unstorable_text",
  "common_password",
  "personal_password",
  "unknown_category",
  "video_required",
  "unsupported_video_host",
  "curriculum_mismatch",
  "empty_module",
  "missing_duration",
  "invalid_cursor",
  "invalid",
] as const;

export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export interface FieldError {
  path: string;
  code: FieldErrorCode;
  message: string;
  minimum?: number;
  maximum?: number;
}

export function isFieldErrorCode(value: unknown): value is FieldErrorCode {
  return FIELD_ERROR_CODES.includes(value as FieldErrorCode);
}

const titles: Record<string, string> = {
  validation_failed: "Validation failed",
  invalid_json: "Malformed JSON",
  not_found: "Not found",
  payload_too_large: "Payload too large",
  rate_limited: "Too many requests",
  unauthorized: "Authentication required",
  forbidden: "Forbidden",
  bad_configuration: "Server misconfigured",
  database_unavailable: "Database unavailable",
  service_unavailable: "Service unavailable",
  internal_error: "Internal server error",
};

/**
 * The one error type services throw. `code` is the stable snake_case string of
 * the API contract; `app.onError` turns it into problem+json.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: ContentfulStatusCode;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    detail?: string,
    extra?: { errors?: FieldError[]; headers?: Record<string, string> },
  ) {
    super(detail ?? titles[code] ?? code);
    this.name = "AppError";
    this.status = status;
    this.code = code;
    this.errors = extra?.errors;
    this.headers = extra?.headers;
  }

  static validation(errors: FieldError[]): AppError {
    return new AppError(422, "validation_failed", "The request has invalid fields.", { errors });
  }

  static notFound(what = "resource"): AppError {
    return new AppError(404, "not_found", `No such ${what}.`);
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problemBody(
  error: Pick<AppError, "status" | "code" | "message" | "errors">,
  requestId: string,
): Problem {
  return {
    type: `/docs/errors#${error.code}`,
    title: titles[error.code] ?? error.code.replaceAll("_", " "),
    status: error.status,
    code: error.code,
    detail: error.message,
    requestId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}
