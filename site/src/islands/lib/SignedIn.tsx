import type { ComponentChildren } from "preact";
import { t } from "../../i18n/en.ts";
import { Skeleton } from "./query.tsx";
import { type SessionUser, useSession } from "./session.ts";

/** Renders `children` for the signed-in user; otherwise a way to sign in that comes back here. */
export function SignedIn({ children }: { children: (user: SessionUser) => ComponentChildren }) {
  const session = useSession();
  if (session.status === "loading") return <Skeleton lines={3} label={t("common.loading")} />;
  if (session.status === "anonymous") {
    const next = encodeURIComponent(location.pathname + location.search);
    return (
      <div class="alert info">
        <p>{session.reason === "ended" ? t("auth.sessionEnded") : t("auth.loginRequired")}</p>
        <a class="button" href={`/login?next=${next}`}>{t("nav.login")}</a>
      </div>
    );
  }
  return <>{children(session.user)}</>;
}
