/**
 * Where the visitor was going when they were asked to log in or sign up (`?next=`), carried from the login page to
 * the sign-up page and, through this browser's storage, to the page the confirmation email opens (often in a new
 * tab), so a confirmed sign-up continues there. Every use goes through `safeNextPath`.
 */
import { useEffect, useState } from "preact/hooks";
import { safeNextPath } from "../lib/forms.tsx";

const AFTER_SIGN_UP = "lectern.afterSignUp";

/** The page's `?next=`, read after hydration (the account pages are prerendered, the same for everyone). */
export function useNext(): string | null {
  const [next, setNext] = useState<string | null>(null);
  useEffect(() => setNext(new URLSearchParams(location.search).get("next")), []);
  return next;
}

/** A link to `path` that keeps `next`. */
export function withNext(path: string, next: string | null): string {
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

export function rememberAfterSignUp(next: string | null): void {
  try {
    if (next) localStorage.setItem(AFTER_SIGN_UP, next);
    else localStorage.removeItem(AFTER_SIGN_UP);
  } catch {
    // Storage can be disabled: the confirmed sign-up then continues to My learning.
  }
}

/** Where a sign-up confirmed in this browser continues (once): the remembered `next`, or My learning. */
export function takeAfterSignUp(): string {
  let next: string | null = null;
  try {
    next = localStorage.getItem(AFTER_SIGN_UP);
    localStorage.removeItem(AFTER_SIGN_UP);
  } catch {
    // As above.
  }
  return safeNextPath(next, "/my");
}
