import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { api, ApiError, call } from "../lib/api.ts";
import { errorMessage, withIslandShell } from "../lib/query.tsx";
import { adoptSession, restoreSession, updateSessionUser } from "../lib/session.ts";
import { takeAfterSignUp } from "./destination.ts";
import { ResendVerification } from "./ResendVerification.tsx";

type State =
  | { status: "verifying" }
  /** Confirmed; `continueTo` when this browser is signed in to the account (now, or from before). */
  | { status: "verified"; continueTo: string | undefined; signedInNow: boolean }
  | { status: "alreadyVerified"; continueTo: string | undefined }
  | { status: "failed"; error: unknown };

/**
 * Opened from the emailed link: spends the token once and says what happened. In the browser that signed up, the
 * API starts a session with it, so the new account continues where it was going without typing the password again.
 */
async function verify(token: string): Promise<State> {
  // Any session this browser had is settled first, so no refresh in flight can end the one the answer may start.
  const before = await restoreSession();
  const answer = await call(api.auth["verify-email"].$post({ json: { token } }));
  const alreadySignedIn = before.status === "authenticated" && before.user.id === answer.user.id;
  if (answer.alreadyVerified) {
    return { status: "alreadyVerified", continueTo: alreadySignedIn ? "/my" : undefined };
  }
  if (answer.signedIn) {
    adoptSession(answer);
    return { status: "verified", continueTo: takeAfterSignUp(), signedInNow: true };
  }
  if (alreadySignedIn) updateSessionUser({ ...before.user, emailVerified: true });
  return { status: "verified", continueTo: alreadySignedIn ? takeAfterSignUp() : undefined, signedInNow: false };
}

function VerifyEmail() {
  const [state, setState] = useState<State>({ status: "verifying" });

  useEffect(() => {
    const token = new URLSearchParams(location.search).get("token");
    if (!token) {
      setState({ status: "failed", error: new ApiError(400, "token_invalid", t("auth.missingToken")) });
      return;
    }
    // The token leaves the address bar (and the history) as soon as it is read.
    history.replaceState(null, "", location.pathname);
    verify(token).then(setState, (error: unknown) => setState({ status: "failed", error }));
  }, []);

  return (
    <div class="form-card">
      <h1>{t("auth.verifyTitle")}</h1>
      {state.status === "verifying" && <p role="status">{t("auth.verifying")}</p>}
      {(state.status === "verified" || state.status === "alreadyVerified") && (
        <>
          <p class="alert success" role="status">
            {state.status === "alreadyVerified"
              ? t("auth.alreadyVerified")
              : state.signedInNow
              ? t("auth.verifiedAndSignedIn")
              : state.continueTo
              ? t("auth.verifiedSignedIn")
              : t("auth.verified")}
          </p>
          {state.continueTo
            ? <a class="button" href={state.continueTo}>{t("auth.continue")}</a>
            : <a class="button" href="/login">{t("nav.login")}</a>}
        </>
      )}
      {state.status === "failed" && (
        <>
          <p class="alert error" role="alert">
            {state.error instanceof ApiError && state.error.status === 400
              ? t("auth.verifyFailed")
              : errorMessage(state.error)}
          </p>
          <ResendVerification />
        </>
      )}
    </div>
  );
}

export default withIslandShell(VerifyEmail);
