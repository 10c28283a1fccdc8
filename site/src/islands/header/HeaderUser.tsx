import { t } from "../../i18n/en.ts";
import { NotificationsBell } from "../notifications/NotificationsBell.tsx";
import { withIslandShell } from "../lib/query.tsx";
import { useSession } from "../lib/session.ts";
import { AccountMenu } from "./AccountMenu.tsx";

/**
 * The header's account area: sign-in links for visitors; for a signed-in
 * user the Teach link (teachers and admins), the notifications bell and the
 * account menu. Before the session is known it holds its place, so the header
 * does not jump.
 */
function HeaderUser() {
  const session = useSession();
  if (session.status === "loading") return <span class="header-user-placeholder" aria-hidden="true" />;
  if (session.status === "anonymous") {
    return (
      <div class="header-user">
        <a href="/login">{t("nav.login")}</a>
        <a class="button small" href="/register">{t("nav.register")}</a>
      </div>
    );
  }
  const { user } = session;
  return (
    <div class="header-user">
      {user.role !== "student" && <a href="/teach">{t("nav.teach")}</a>}
      <NotificationsBell />
      <AccountMenu user={user} />
    </div>
  );
}

export default withIslandShell(HeaderUser);
