import { t } from "../../i18n/en.ts";
import { useDisclosure } from "../lib/disclosure.ts";
import { logout, type SessionUser } from "../lib/session.ts";

/** The signed-in user's menu: profile, learning, purchases, notifications, sign-out. */
export function AccountMenu({ user }: { user: SessionUser }) {
  const disclosure = useDisclosure();
  const signOut = async () => {
    disclosure.close();
    await logout();
    location.assign("/");
  };
  return (
    <div class="account-menu" ref={disclosure.containerRef}>
      <button
        {...disclosure.buttonProps}
        class="account-button"
        aria-controls="account-panel"
        aria-label={t("nav.accountMenu", { name: user.name })}
      >
        <span class="avatar" aria-hidden="true">{user.name.trim().charAt(0).toUpperCase() || "?"}</span>
        <span class="account-name">{user.name}</span>
      </button>
      {disclosure.open && (
        <ul id="account-panel" class="panel menu-list">
          <li class="muted menu-email">{user.email}</li>
          <li>
            <a href="/account">{t("nav.profile")}</a>
          </li>
          <li>
            <a href="/my">{t("nav.myLearning")}</a>
          </li>
          <li>
            <a href="/account/purchases">{t("nav.purchases")}</a>
          </li>
          <li>
            <a href="/notifications">{t("nav.notifications")}</a>
          </li>
          {user.role !== "student" && (
            <li>
              <a href="/teach">{t("nav.teach")}</a>
            </li>
          )}
          <li>
            <button type="button" class="link-button" onClick={signOut}>{t("nav.logout")}</button>
          </li>
        </ul>
      )}
    </div>
  );
}
