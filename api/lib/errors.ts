import type { ContentfulStatusCode } from "hono/utils/http-status";

export interface FieldError {
  path: string;
  message: string;
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
