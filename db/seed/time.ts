/**
 * The seed's "now": every timestamp is placed relative to it, never to the
 * real clock, so two runs write identical rows.
 */
export const SEED_NOW = Date.UTC(2026, 10, 1, 9, 0, 0);

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
