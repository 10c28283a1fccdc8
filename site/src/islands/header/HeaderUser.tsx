import { t } from "../../i18n/en.ts";
import { NotificationsBell } from "../notifications/NotificationsBell.tsx";
import { withIslandShell } from "../lib/query.tsx";
import { useSession } from "../lib/session.ts";
import { AccountMenu } from "./AccountMenu.tsx";

/**
 * Sign-in links. Hidden, they are also what holds the place while the session
 * loads: the exact size of a visitor's header, so on a phone, where the links
 * wrap the header onto two lines, it does not jump when they appear.
 */
function VisitorLinks({ holding }: { holding: boolean }) {
  return (
    // `visibility: hidden` (the holding class) also takes the links out of the tab order and the accessibility tree.
    <div class={holding ? "header-user holding" : "header-user"}>
      <a href="/login">{t("nav.login")}</a>
      <a class="button small" href="/register">{t("nav.register")}</a>
    </div>
  );
}

/**
 * The header's account area: sign-in links for visitors; for a signed-in
 * user the Teach link (teachers and admins), the notifications bell and the
 * account menu.
 */
function HeaderUser() {
  const session = useSession();
  if (session.status !== "authenticated") return <VisitorLinks holding={session.status === "loading"} />;
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
