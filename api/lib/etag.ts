/**
 * A weak ETag for a JSON answer, hashed from the value's JSON text.
 *
 * Hono's etag middleware hashes the finished response instead, which clones
 * and re-reads its body stream and awaits SubtleCrypto: that was about a
 * tenth of a cached course page's CPU on Deno. Setting the header first lets
 * the middleware skip hashing and keep only the If-None-Match comparison.
 * Weak, because equal JSON is what it promises, not equal bytes; the 53-bit
 * hash (cyrb53) is for telling versions apart, not for security.
 */
export function jsonEtag(value: unknown): string {
  const text = JSON.stringify(value) ?? "";
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return `W/"${hash.toString(36)}-${text.length.toString(36)}"`;
}
