// The Worker's bindings and vars as `cloudflare:workers` exposes them to on-demand pages.
// Typed loosely on purpose: api/env.ts validates them once per isolate.
declare module "cloudflare:workers" {
  export const env: Record<string, unknown>;
}
