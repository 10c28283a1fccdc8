import { useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { api, call } from "../lib/api.ts";
import { ErrorSummary, Field, useSubmit } from "../lib/forms.tsx";

/** Asks for a fresh verification link; the answer is the same whether or not the address has an account. */
export function ResendVerification({ email }: { email?: string }) {
  const [sent, setSent] = useState(false);
  const { busy, failure, onSubmit } = useSubmit(async (values) => {
    await call(api.auth["resend-verification"].$post({ json: { email: email ?? values.email ?? "" } }));
    setSent(true);
  });
  if (sent) return <p class="alert info" role="status">{t("auth.resent")}</p>;
  return (
    <form method="post" onSubmit={onSubmit}>
      <ErrorSummary failure={failure} />
      {!email && (
        <Field name="email" label={t("auth.email")} type="email" autocomplete="email" required failure={failure} />
      )}
      <button type="submit" class="button secondary" disabled={busy}>{t("auth.resend")}</button>
    </form>
  );
}
