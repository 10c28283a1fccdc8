import { t } from "../../i18n/en.ts";
import { ErrorSummary, Field, safeNextPath, useSubmit } from "../lib/forms.tsx";
import { login, type Role } from "../lib/session.ts";
import { withIslandShell } from "../lib/query.tsx";
import { useNext, withNext } from "./destination.ts";

/** Where a sign-in without `?next=` lands: teachers and admins in the studio, learners in My learning. */
function homeFor(role: Role): string {
  return role === "student" ? "/my" : "/teach";
}

/** Signs in and returns to `?next=` (a same-site path), else to the user's home (`homeFor`). */
function LoginForm() {
  const next = useNext();
  const { busy, failure, onSubmit } = useSubmit(async ({ email = "", password = "" }) => {
    const user = await login(email, password);
    location.assign(safeNextPath(new URLSearchParams(location.search).get("next"), homeFor(user.role)));
  });
  return (
    <form class="form-card" method="post" onSubmit={onSubmit}>
      <h1>{t("auth.loginTitle")}</h1>
      <ErrorSummary failure={failure} />
      <Field name="email" label={t("auth.email")} type="email" autocomplete="email" required failure={failure} />
      <Field
        name="password"
        label={t("auth.password")}
        type="password"
        autocomplete="current-password"
        required
        failure={failure}
      />
      <button type="submit" class="button block" disabled={busy}>{t("auth.loginSubmit")}</button>
      <p>
        <a href="/forgot-password">{t("auth.forgot")}</a>
      </p>
      <p>
        {t("auth.noAccount")} <a href={withNext("/register", next)}>{t("nav.register")}</a>
      </p>
    </form>
  );
}

export default withIslandShell(LoginForm);
