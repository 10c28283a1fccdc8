/**
 * What every island stands on: one QueryClient per page (islands are separate
 * Preact roots, but they share this module, so they share its cache), an error
 * boundary with a retry button, and skeletons for loading states.
 */
import { QueryClient, QueryClientProvider, QueryErrorResetBoundary } from "@tanstack/preact-query";
import { Component, type ComponentChildren, type FunctionComponent } from "preact";
import { useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { ApiError } from "./api.ts";

const MAX_RETRIES = 3;

/** Network failures and 5xx are worth retrying; a 4xx will answer the same way again. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500 && error.status !== 429) return false;
  return failureCount < MAX_RETRIES;
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: shouldRetry,
        retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 8_000),
        staleTime: 30_000,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

/** The page's client in the browser. */
export const queryClient = createQueryClient();

/**
 * On the server every render gets a client of its own: one shared across
 * requests would hand one visitor's initial data to the next.
 */
function clientForRender(): QueryClient {
  return typeof window === "undefined" ? createQueryClient() : queryClient;
}

/** A readable sentence for any failure: the API's own message, or a word about the network. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.status === 429 ? t("errors.rateLimited") : error.message;
  if (error instanceof TypeError) return t("errors.network");
  return t("errors.generic");
}

interface BoundaryProps {
  onReset: () => void;
  children: ComponentChildren;
}

/** Catches what an island throws while rendering, so the rest of the page keeps working. */
class IslandErrorBoundary extends Component<BoundaryProps, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static override getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown) {
    console.error("island failed", error);
  }

  retry = () => {
    this.props.onReset();
    this.setState({ error: undefined });
  };

  override render() {
    if (this.state.error === undefined) return this.props.children;
    return (
      <div class="alert error" role="alert">
        <p>{t("errors.islandFailed")} {errorMessage(this.state.error)}</p>
        <button type="button" class="button small secondary" onClick={this.retry}>{t("errors.retry")}</button>
      </div>
    );
  }
}

export function IslandShell({ children }: { children: ComponentChildren }) {
  const [client] = useState(clientForRender);
  return (
    <QueryClientProvider client={client}>
      <QueryErrorResetBoundary>
        {({ reset }) => <IslandErrorBoundary onReset={reset}>{children}</IslandErrorBoundary>}
      </QueryErrorResetBoundary>
    </QueryClientProvider>
  );
}

/** Wraps an island's root component in `IslandShell`. */
export function withIslandShell<P extends object>(Inner: FunctionComponent<P>): FunctionComponent<P> {
  const Wrapped = (props: P) => (
    <IslandShell>
      <Inner {...props} />
    </IslandShell>
  );
  Wrapped.displayName = `Island(${Inner.displayName ?? Inner.name})`;
  return Wrapped;
}

/** Grey blocks in the shape of what is loading; hidden from assistive technology, which gets `label`. */
export function Skeleton({ lines = 3, label, height }: { lines?: number; label?: string; height?: string }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true">
      {label && <span class="visually-hidden">{label}</span>}
      {Array.from({ length: lines }, (_, index) => (
        <span
          key={index}
          class="skeleton"
          aria-hidden="true"
          style={{ height: height ?? "1rem", width: index === lines - 1 ? "60%" : "100%", marginBottom: "0.5rem" }}
        />
      ))}
    </div>
  );
}

/** An inline error with a retry button, for a query that failed after its retries. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div class="alert error" role="alert">
      <p>{errorMessage(error)}</p>
      <button type="button" class="button small secondary" onClick={onRetry}>{t("errors.retry")}</button>
    </div>
  );
}
