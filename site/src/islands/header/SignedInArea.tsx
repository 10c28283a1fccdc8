import { t } from "../../i18n/en.ts";
import { NotificationsBell } from "../notifications/NotificationsBell.tsx";
import type { SessionUser } from "../lib/session.ts";
import { AccountMenu } from "./AccountMenu.tsx";

function isTeaching(): boolean {
  return /^\/teach(\/|$)/.test(location.pathname);
}

/** A signed-in user's part of the header: the Teach link (teachers and admins), the bell and the account menu. */
export function SignedInArea({ user }: { user: SessionUser }) {
  return (
    <div class="header-user">
      {user.role !== "student" && (
        <a class="nav-link" href="/teach" aria-current={isTeaching() ? "page" : undefined}>{t("nav.teach")}</a>
      )}
      <NotificationsBell />
      <AccountMenu user={user} />
    </div>
  );
}
