import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { api, ApiError, call } from "../lib/api.ts";
import { ErrorSummary, Field, useSubmit } from "../lib/forms.tsx";
import { withIslandShell } from "../lib/query.tsx";

/** Opened from the reset email: a new password for the token in the link, which then leaves the address bar. */
function ResetPasswordForm() {
  const [token, setToken] = useState<string | null>();
  const [done, setDone] = useState(false);

  useEffect(() => {
    setToken(new URLSearchParams(location.search).get("token"));
    history.replaceState(null, "", location.pathname);
  }, []);

  const { busy, failure, onSubmit } = useSubmit(async ({ password = "" }) => {
    await call(api.auth["reset-password"].$post({ json: { token: token ?? "", password } }));
    setDone(true);
  });

  if (token === undefined) return null;
  if (token === null) {
    return <p class="alert error form-card" role="alert">{t("auth.missingToken")}</p>;
  }
  const tokenRefused = failure instanceof ApiError && failure.status === 400;
  return (
    <form class="form-card" method="post" onSubmit={onSubmit}>
      <h1>{t("auth.resetTitle")}</h1>
      {done
        ? (
          <>
            <p class="alert success" role="status">{t("auth.resetDone")}</p>
            <a class="button" href="/login">{t("nav.login")}</a>
          </>
        )
        : (
          <>
            <ErrorSummary failure={failure}>
              {tokenRefused && (
                <>
                  {t("auth.resetFailed")} <a href="/forgot-password">{t("auth.forgotSubmit")}</a>
                </>
              )}
            </ErrorSummary>
            <Field
              name="password"
              label={t("auth.newPassword")}
              type="password"
              autocomplete="new-password"
              required
              minLength={8}
              hint={t("auth.passwordHint")}
              failure={failure}
            />
            <button type="submit" class="button block" disabled={busy}>{t("auth.resetSubmit")}</button>
          </>
        )}
    </form>
  );
}

export default withIslandShell(ResetPasswordForm);
