import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiError } from "../../lib/api.ts";
import { failureMessage } from "../../lib/validation-messages.ts";
import { tt } from "../../../i18n/teach.ts";
import { SaveQueue, type SaveStatus } from "./save-queue.ts";

/**
 * Refusals a retry cannot change. Network failures, 5xx, 408 and 429 may pass; so may 401: a session that ended
 * comes back when the teacher logs in again (in another tab), and the queued edits must still be there then.
 */
export function isPermanent(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 &&
    ![401, 408, 429].includes(error.status);
}

/**
 * One save queue for the authoring page, wired to the browser: retried when the network comes back, flushed when
 * the page is hidden, and a warning before leaving while anything is unsaved.
 */
export function useSaveQueue(): { queue: SaveQueue; status: SaveStatus } {
  const queue = useMemo(() => new SaveQueue({ isPermanent, describe: failureMessage }), []);
  const [status, setStatus] = useState<SaveStatus>({ state: "saved", pending: 0 });

  useEffect(() => {
    const unsubscribe = queue.subscribe(setStatus);
    const online = () => queue.retryNow();
    const hidden = () => {
      if (document.visibilityState === "hidden") queue.flush();
    };
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (!queue.hasUnsaved()) return;
      queue.flush();
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set; its text is no longer displayed anywhere.
      event.returnValue = tt("save.leaveWarning");
    };
    globalThis.addEventListener("online", online);
    document.addEventListener("visibilitychange", hidden);
    globalThis.addEventListener("beforeunload", beforeUnload);
    return () => {
      unsubscribe();
      globalThis.removeEventListener("online", online);
      document.removeEventListener("visibilitychange", hidden);
      globalThis.removeEventListener("beforeunload", beforeUnload);
    };
  }, [queue]);

  return { queue, status };
}
