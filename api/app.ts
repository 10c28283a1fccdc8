import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { catalogRoutes } from "./catalog/routes.ts";
import type { AppDeps, AppEnv } from "./deps.ts";
import { devRoutes } from "./dev/routes.ts";
import { authRoutes, meRoutes } from "./identity/routes.ts";
import { learningRoutes } from "./learning/routes.ts";
import { notificationRoutes } from "./notifications/routes.ts";
import { LOCAL_CHECKOUT_STYLE_SOURCE } from "./payments/local-page.ts";
import { paymentRoutes } from "./payments/routes.ts";
import { healthRoutes } from "./health/routes.ts";
import { isDatabaseUnavailable, isDataException } from "./lib/db-errors.ts";
import { AppError, problemBody } from "./lib/errors.ts";
import { cachePolicy } from "./middleware/cache-policy.ts";
import { corsForOrigins } from "./middleware/cors.ts";
import { globalRateLimit } from "./middleware/rate-limit.ts";
import { requestContext } from "./middleware/request-context.ts";
import { wrapThrownValues } from "./middleware/thrown-values.ts";
import { refuseUnstorablePath } from "./middleware/unstorable-path.ts";

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The API answers JSON (and one local checkout page): HSTS, nosniff, framing, referrer and resource policy matter
 * for it. The rest of Hono's defaults only concern documents in old or rendering browsers (XSS auditor, IE
 * downloads, Flash policies, DNS prefetch, opener and agent clusters), and every header is paid for again on each
 * cached answer. The Content-Security-Policy lets a JSON answer opened as a document load nothing, and the
 * checkout page only its own stylesheet, the site's icon and a form that posts to the API and is redirected to the site.
 */
function apiSecurityHeaders(publicUrl: string) {
  return {
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: [LOCAL_CHECKOUT_STYLE_SOURCE],
      // The checkout page's icon is the site's, served by the same Worker.
      imgSrc: ["'self'"],
      formAction: ["'self'", new URL(publicUrl).origin],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: "DENY",
    crossOriginResourcePolicy: "cross-origin",
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  };
}

/** The composition root: the same app serves Workers, Deno and the tests. */
export function createApp(deps: AppDeps) {
  const api = new Hono<AppEnv>()
    .use(globalRateLimit(deps))
    .use(refuseUnstorablePath)
    .use(
      bodyLimit({
        maxSize: deps.config.maxBodyBytes,
        onError: () => {
          throw new AppError(
            413,
            "payload_too_large",
            `Request bodies are limited to ${deps.config.maxBodyBytes} bytes.`,
          );
        },
      }),
    )
    .route("/auth", authRoutes)
    .route("/me", meRoutes)
    .route("/dev", devRoutes)
    .route("/notifications", notificationRoutes)
    .route("/", learningRoutes)
    .route("/", paymentRoutes)
    .route("/", catalogRoutes);

  const app = new Hono<AppEnv>()
    .use(
      requestId({
        generator: (c) => {
          const incoming = c.req.header("X-Request-Id");
          return incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
        },
      }),
    )
    .use(cachePolicy)
    .use(wrapThrownValues)
    .use(requestContext(deps))
    .use(secureHeaders(apiSecurityHeaders(deps.config.publicUrl)))
    .use("/api/*", corsForOrigins(deps.config.corsOrigins))
    .route("/health", healthRoutes)
    .route("/api/v1", api);

  app.notFound((c) => {
    return c.json(problemBody(AppError.notFound("route"), c.var.requestId), 404, {
      "Content-Type": "application/problem+json",
    });
  });

  app.onError((error, c) => {
    const appError = toAppError(error);
    // A data exception is answered 400 but logged: it means a field got past validation.
    if (appError.status >= 500 || isDataException(error)) {
      deps.logger.log("error", "request failed", {
        requestId: c.var.requestId,
        code: appError.code,
        error: error instanceof Error
          ? { name: error.name, message: error.message, cause: describeCause(error.cause), stack: error.stack }
          : String(error),
      });
    }
    return c.json(problemBody(appError, c.var.requestId), appError.status, {
      ...appError.headers,
      "Content-Type": "application/problem+json",
    });
  });

  return app;
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    // Hono's own validator raises this when the body is not JSON.
    if (error.status === 400) return new AppError(400, "invalid_json", "The request body is not valid JSON.");
    return new AppError(
      error.status === 401 ? 401 : 400,
      error.status === 401 ? "unauthorized" : "bad_request",
      error.message,
    );
  }
  if (isDataException(error)) {
    return new AppError(400, "bad_request", "The request holds a value the database cannot take.");
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError(503, "database_unavailable", "The database is unreachable; try again shortly.", {
      headers: { "Retry-After": "5" },
    });
  }
  return new AppError(500, "internal_error", "Something went wrong on our side.");
}

/** The driver's own error under Drizzle's "Failed query": what actually went wrong. */
function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  if (cause instanceof Error) {
    return `${cause.name}: ${cause.message}${"code" in cause ? ` (${String(cause.code)})` : ""}`;
  }
  return Object.prototype.toString.call(cause);
}

export type AppType = ReturnType<typeof createApp>;
