import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { api, ApiError, call } from "../lib/api.ts";
import { errorMessage } from "../lib/query.tsx";
import { restoreSession, updateSessionUser } from "../lib/session.ts";
import { ResendVerification } from "./ResendVerification.tsx";
import { withIslandShell } from "../lib/query.tsx";

type State = { status: "verifying" } | { status: "verified"; signedIn: boolean } | { status: "failed"; error: unknown };

/** Opened from the emailed link: spends the token once and says what happened. */
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
    void (async () => {
      try {
        const { user } = await call(api.auth["verify-email"].$post({ json: { token } }));
        const session = await restoreSession();
        const signedIn = session.status === "authenticated" && session.user.id === user.id;
        if (signedIn) updateSessionUser({ ...session.user, emailVerified: true });
        setState({ status: "verified", signedIn });
      } catch (error) {
        setState({ status: "failed", error });
      }
    })();
  }, []);

  return (
    <div class="form-card">
      <h1>{t("auth.verifyTitle")}</h1>
      {state.status === "verifying" && <p role="status">{t("auth.verifying")}</p>}
      {state.status === "verified" && (
        <>
          <p class="alert success" role="status">
            {state.signedIn ? t("auth.verifiedSignedIn") : t("auth.verified")}
          </p>
          <a class="button" href={state.signedIn ? "/my" : "/login"}>
            {state.signedIn ? t("nav.myLearning") : t("nav.login")}
          </a>
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
