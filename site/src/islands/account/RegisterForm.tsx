import { useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { api, call } from "../lib/api.ts";
import { ErrorSummary, Field, useSubmit } from "../lib/forms.tsx";
import { ResendVerification } from "./ResendVerification.tsx";
import { withIslandShell } from "../lib/query.tsx";
import { rememberAfterSignUp, useNext, withNext } from "./destination.ts";

/**
 * Signs up. The answer also gives this browser the cookie that lets the emailed link, opened here, sign the new
 * account in (api/identity/sign-up.ts); where the visitor was going is remembered for then.
 */
function RegisterForm() {
  const next = useNext();
  const [sentTo, setSentTo] = useState<string>();
  const { busy, failure, onSubmit } = useSubmit(async ({ name = "", email = "", password = "", teach }) => {
    await call(api.auth.register.$post({ json: { name, email, password, role: teach ? "teacher" : "student" } }));
    rememberAfterSignUp(next);
    setSentTo(email);
  });

  if (sentTo) {
    return (
      <div class="form-card">
        <h1>{t("auth.registerTitle")}</h1>
        <p class="alert success" role="status">{t("auth.registered", { email: sentTo })}</p>
        <ResendVerification email={sentTo} />
      </div>
    );
  }
  return (
    <form class="form-card" method="post" onSubmit={onSubmit}>
      <h1>{t("auth.registerTitle")}</h1>
      <ErrorSummary failure={failure} />
      <Field name="name" label={t("auth.name")} autocomplete="name" required maxLength={100} failure={failure} />
      <Field name="email" label={t("auth.email")} type="email" autocomplete="email" required failure={failure} />
      <Field
        name="password"
        label={t("auth.password")}
        type="password"
        autocomplete="new-password"
        required
        minLength={8}
        hint={t("auth.passwordHint")}
        failure={failure}
      />
      <div class="field checkbox">
        <label>
          <input type="checkbox" name="teach" value="1" /> {t("auth.registerAsTeacher")}
        </label>
      </div>
      <button type="submit" class="button block" disabled={busy}>{t("auth.registerSubmit")}</button>
      <p>
        {t("auth.haveAccount")} <a href={withNext("/login", next)}>{t("nav.login")}</a>
      </p>
    </form>
  );
}

export default withIslandShell(RegisterForm);
