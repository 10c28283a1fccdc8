/**
 * Who is signed in, for every island on the page. The access token lives in
 * memory only (api.ts); the HttpOnly refresh cookie restores it on each page
 * load. A localStorage flag only remembers *that* a session may exist, so
 * visitors who never signed in cost no refresh request, and a sign-out in one
 * tab signs the others out too.
 */
import { useEffect, useState } from "preact/hooks";
import {
  api,
  ApiError,
  call,
  clearAccessToken,
  hasAccessToken,
  onSessionEnded,
  refreshAccessToken,
  setAccessToken,
} from "./api.ts";

export type Role = "student" | "teacher" | "admin";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  emailVerified: boolean;
}

export type Session =
  | { status: "loading" }
  | { status: "anonymous"; reason?: "ended" }
  | { status: "authenticated"; user: SessionUser };

const SIGNED_IN_FLAG = "lectern.signedIn";

let current: Session = { status: "loading" };
const listeners = new Set<(session: Session) => void>();
let restoring: Promise<Session> | undefined;

function publish(next: Session): void {
  current = next;
  for (const listener of listeners) listener(next);
}

function remember(signedIn: boolean): void {
  try {
    if (signedIn) localStorage.setItem(SIGNED_IN_FLAG, "1");
    else localStorage.removeItem(SIGNED_IN_FLAG);
  } catch {
    // Storage can be disabled; the session still works for this page.
  }
}

function mayHaveSession(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_FLAG) === "1";
  } catch {
    return true;
  }
}

function end(reason?: "ended"): void {
  clearAccessToken();
  remember(false);
  publish(reason ? { status: "anonymous", reason } : { status: "anonymous" });
}

onSessionEnded(() => end("ended"));

if (typeof document !== "undefined") {
  globalThis.addEventListener("storage", (event) => {
    if (event.key === SIGNED_IN_FLAG && event.newValue === null && current.status === "authenticated") end();
  });
  // A page restored by Back from the back-forward cache missed the storage event of a sign-out made elsewhere.
  globalThis.addEventListener("pageshow", (event) => {
    if (event.persisted && current.status === "authenticated" && !mayHaveSession()) end();
  });
}

export function getSession(): Session {
  return current;
}

export function subscribe(listener: (session: Session) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The session as known after restoring it from the refresh cookie (once per page, shared by every island). */
export function restoreSession(): Promise<Session> {
  restoring ??= (async () => {
    if (!mayHaveSession()) {
      publish({ status: "anonymous" });
      return current;
    }
    try {
      if (!hasAccessToken() && !(await refreshAccessToken())) return current;
      const user = await call(api.me.$get());
      publish({ status: "authenticated", user });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) end("ended");
      else publish({ status: "anonymous" });
    }
    return current;
  })();
  return restoring;
}

/** Makes a session the API just started (a sign-in, or a sign-up confirmed in this browser) this page's session. */
export function adoptSession(answer: { accessToken: string; expiresIn: number; user: SessionUser }): SessionUser {
  setAccessToken(answer.accessToken, answer.expiresIn);
  remember(true);
  restoring = Promise.resolve({ status: "authenticated", user: answer.user });
  publish({ status: "authenticated", user: answer.user });
  return answer.user;
}

export async function login(email: string, password: string): Promise<SessionUser> {
  return adoptSession(await call(api.auth.login.$post({ json: { email, password } })));
}

export async function logout(): Promise<void> {
  try {
    await fetch("/api/v1/auth/logout", { method: "POST", credentials: "same-origin" });
  } finally {
    restoring = Promise.resolve({ status: "anonymous" });
    end();
  }
}

/**
 * Makes the signed-in learner a teacher (teachers and admins stay what they
 * are). The answer's access token carries the new role, so it replaces the
 * current one at once: the studio opens without waiting for a refresh.
 */
export async function becomeTeacher(): Promise<SessionUser> {
  const answer = await call(api.me.teacher.$post());
  setAccessToken(answer.accessToken, answer.expiresIn);
  restoring = Promise.resolve({ status: "authenticated", user: answer.user });
  publish({ status: "authenticated", user: answer.user });
  return answer.user;
}

/** Replaces the signed-in user's profile after an edit, so every island shows the new one. */
export function updateSessionUser(user: SessionUser): void {
  if (current.status === "authenticated") publish({ status: "authenticated", user });
}

const LOADING: Session = { status: "loading" };

/**
 * The session for a component: starts restoring it on mount and re-renders on every change.
 *
 * The first render is always "loading", as on the server, even if another island has settled the session
 * already: hydration adopts the server's markup without patching its attributes, so a first render that
 * differed (a visitor's links without their "holding" class) would leave the server's version on screen,
 * and with no later change of session nothing would ever correct it.
 */
export function useSession(): Session {
  const [session, setSession] = useState(LOADING);
  useEffect(() => {
    setSession(current);
    const unsubscribe = subscribe(setSession);
    void restoreSession().then(setSession);
    return unsubscribe;
  }, []);
  return session;
}
