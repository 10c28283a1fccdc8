import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { tt } from "../../../i18n/teach.ts";
import { ErrorAlert } from "../../lib/error-alert.tsx";
import { Skeleton } from "../../lib/query.tsx";
import { type SessionUser, useSession } from "../../lib/session.ts";
import { studioApi } from "./studio-api.ts";

export const LOGIN_PATH = "/login";
/** The profile's "Start teaching" section, where a learner account becomes a teacher account. */
export const PROFILE_TEACH_PATH = "/account#teach";

/**
 * Renders the studio only for teachers and admins. Visitors get a way to log in that brings them back here;
 * learners learn why they cannot enter and where to start teaching; teachers with an unconfirmed email are told what that blocks.
 */
export function StudioGate({ children }: { children: (user: SessionUser) => ComponentChildren }) {
  const session = useSession();
  if (session.status === "loading") return <Skeleton lines={4} label={tt("studio.title")} />;
  if (session.status === "anonymous") {
    const next = encodeURIComponent(location.pathname + location.search);
    return (
      <div class="alert info">
        <p>{tt("studio.loginRequired")}</p>
        <a class="button" href={`${LOGIN_PATH}?next=${next}`}>{tt("studio.login")}</a>
      </div>
    );
  }
  const { user } = session;
  if (user.role === "student") {
    return (
      <div class="alert info">
        <p>{tt("studio.notTeacher")}</p>
        <a class="button secondary" href={PROFILE_TEACH_PATH}>{tt("studio.becomeTeacher")}</a>
      </div>
    );
  }
  return (
    <>
      {!user.emailVerified && <VerifyEmailNotice email={user.email} />}
      {children(user)}
    </>
  );
}

function VerifyEmailNotice({ email }: { email: string }) {
  const [sent, setSent] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const resend = async () => {
    try {
      await studioApi.resendVerification(email);
      setSent(true);
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <div class="alert info" data-testid="verify-email-notice">
      <p>{tt("studio.verifyEmail")}</p>
      {sent
        ? <p role="status">{tt("studio.verificationSent")}</p>
        : (
          <button type="button" class="button small secondary" onClick={resend}>
            {tt("studio.resendVerification")}
          </button>
        )}
      <ErrorAlert failure={failure} />
    </div>
  );
}
