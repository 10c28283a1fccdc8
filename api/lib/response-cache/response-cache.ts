/**
 * Public answers kept in front of the app, so a cached page or catalog read
 * never runs it: Workers Cache on Cloudflare (the platform serves hits before
 * the Worker is invoked), an in-process cache in every other runtime. Both
 * store what the answer's headers allow a shared cache to store
 * (`Cloudflare-CDN-Cache-Control`, `CDN-Cache-Control`, `Cache-Control`,
 * `Vary`), name it by its `Cache-Tag` list, and never send that header on.
 */
export interface ResponseCache {
  /**
   * The answer to `request`: a stored one while it is fresh (or stale but
   * revalidating), otherwise `origin`'s, stored when its headers make it a
   * shared, public answer. `background` runs revalidation past the response
   * where the runtime allows it (`waitUntil`).
   */
  serve(
    request: Request,
    origin: (request: Request) => Promise<Response>,
    background?: (work: Promise<unknown>) => void,
  ): Promise<Response>;
  /**
   * Drops every stored answer whose `Cache-Tag` names any of `tags` (matched
   * case-insensitively, as on Cloudflare). Rejects when it could not, and
   * after purging the valid ones, when some tags could never name an answer
   * (not printable ASCII, spaces or commas, over 1024 characters).
   */
  purge(tags: readonly string[]): Promise<void>;
}
