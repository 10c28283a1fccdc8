import { useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { api, call } from "../lib/api.ts";
import { ErrorSummary, Field, useSubmit } from "../lib/forms.tsx";
import { withIslandShell } from "../lib/query.tsx";

function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string>();
  const { busy, failure, onSubmit } = useSubmit(async ({ email = "" }) => {
    await call(api.auth["forgot-password"].$post({ json: { email } }));
    setSentTo(email);
  });
  return (
    <form class="form-card" method="post" onSubmit={onSubmit}>
      <h1>{t("auth.forgotTitle")}</h1>
      {sentTo ? <p class="alert success" role="status">{t("auth.forgotSent", { email: sentTo })}</p> : (
        <>
          <p>{t("auth.forgotLead")}</p>
          <ErrorSummary failure={failure} />
          <Field name="email" label={t("auth.email")} type="email" autocomplete="email" required failure={failure} />
          <button type="submit" class="button block" disabled={busy}>{t("auth.forgotSubmit")}</button>
        </>
      )}
    </form>
  );
}

export default withIslandShell(ForgotPasswordForm);
