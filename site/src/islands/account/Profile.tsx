import { useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { api, call } from "../lib/api.ts";
import { ErrorSummary, Field, useSubmit } from "../lib/forms.tsx";
import { withIslandShell } from "../lib/query.tsx";
import { becomeTeacher, type SessionUser, updateSessionUser } from "../lib/session.ts";
import { SignedIn } from "../lib/SignedIn.tsx";
import { ResendVerification } from "./ResendVerification.tsx";

/** A learner turns the account into a teacher account, takes the new role's token, and goes to the studio. */
function StartTeaching() {
  const { busy, failure, onSubmit } = useSubmit(async () => {
    await becomeTeacher();
    location.assign("/teach");
  });
  return (
    <section id="teach" aria-labelledby="teach-heading">
      <h2 id="teach-heading">{t("profile.teach")}</h2>
      <p>{t("profile.teachLead")}</p>
      <form method="post" onSubmit={onSubmit}>
        <ErrorSummary failure={failure} />
        <button type="submit" class="button" disabled={busy}>{t("profile.startTeaching")}</button>
      </form>
    </section>
  );
}

function ProfileForm({ user }: { user: SessionUser }) {
  const [saved, setSaved] = useState(false);
  const { busy, failure, onSubmit } = useSubmit(async ({ name = "" }) => {
    setSaved(false);
    const answer = await call(api.me.$patch({ json: { name } }));
    updateSessionUser({ ...user, ...answer.user });
    setSaved(true);
  });
  return (
    <div class="form-card">
      <h1>{t("profile.title")}</h1>
      <form method="post" onSubmit={onSubmit}>
        <ErrorSummary failure={failure} />
        <Field name="name" label={t("auth.name")} defaultValue={user.name} required maxLength={100} failure={failure} />
        <button type="submit" class="button" disabled={busy}>{t("profile.save")}</button>
        {saved && <span role="status" class="saved">{t("profile.saved")}</span>}
      </form>
      <dl class="profile-facts">
        <dt>{t("auth.email")}</dt>
        <dd>
          {user.email} —{" "}
          <span class="muted">{user.emailVerified ? t("profile.emailVerified") : t("profile.emailUnverified")}</span>
        </dd>
        <dt>{t("profile.role")}</dt>
        <dd>{t(`profile.role.${user.role}`)}</dd>
      </dl>
      {!user.emailVerified && <ResendVerification email={user.email} />}
      <section aria-labelledby="purchases-heading">
        <h2 id="purchases-heading">{t("profile.purchases")}</h2>
        <p>{t("profile.purchasesLead")}</p>
        <a class="button secondary" href="/account/purchases">{t("profile.seePurchases")}</a>
      </section>
      {user.role === "student"
        ? <StartTeaching />
        : <a class="button secondary" href="/teach">{t("profile.openStudio")}</a>}
    </div>
  );
}

function Profile() {
  return <SignedIn>{(user) => <ProfileForm user={user} />}</SignedIn>;
}

export default withIslandShell(Profile);
