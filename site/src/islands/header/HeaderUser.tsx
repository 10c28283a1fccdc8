import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n/en.ts";
import { withIslandShell } from "../lib/query.tsx";
import { useSession } from "../lib/session.ts";

/**
 * Sign-in links. Hidden, they are also what holds the place while the session
 * loads: the exact size of a visitor's header, so on a phone, where the links
 * wrap the header onto two lines, it does not jump when they appear.
 */
function VisitorLinks({ holding }: { holding: boolean }) {
  return (
    // `visibility: hidden` (the holding class) also takes the links out of the tab order and the accessibility tree.
    <div class={holding ? "header-user holding" : "header-user"}>
      <a class="nav-link" href="/login">{t("nav.login")}</a>
      <a class="button small" href="/register">{t("nav.register")}</a>
    </div>
  );
}

type SignedInAreaComponent = typeof import("./SignedInArea.tsx").SignedInArea;

/** If the signed-in part cannot be loaded (offline), the account page is still one link away. */
const AccountLink: SignedInAreaComponent = () => (
  <div class="header-user">
    <a class="nav-link" href="/account">{t("nav.account")}</a>
  </div>
);

/**
 * The header's account area: sign-in links for visitors; for a signed-in user the Teach link, the
 * notifications bell and the account menu. Those are loaded only once someone is signed in: visitors, and the
 * crawlers that read every public page, never download the bell and its queries.
 */
function HeaderUser() {
  const session = useSession();
  const [SignedInArea, setSignedInArea] = useState<SignedInAreaComponent>();
  const signedIn = session.status === "authenticated";
  useEffect(() => {
    if (signedIn && !SignedInArea) {
      void import("./SignedInArea.tsx").then(
        (module) => setSignedInArea(() => module.SignedInArea),
        () => setSignedInArea(() => AccountLink),
      );
    }
  }, [signedIn]);
  if (session.status === "authenticated" && SignedInArea) return <SignedInArea user={session.user} />;
  return <VisitorLinks holding={session.status !== "anonymous"} />;
}

export default withIslandShell(HeaderUser);
