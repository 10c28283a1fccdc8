import { tt } from "../../../i18n/teach.ts";
import type { SaveStatus } from "./save-queue.ts";

/** The saved / saving / offline / failed line; a polite live region, so screen readers hear it without losing focus. */
export function SaveIndicator({ status }: { status: SaveStatus }) {
  const text = {
    saved: tt("save.saved"),
    saving: tt("save.saving"),
    offline: tt("save.offline", { count: status.pending }),
    failed: status.pending > 0
      ? tt("save.retrying", { message: status.error ?? "" })
      : tt("save.failed", { message: status.error ?? "" }),
  }[status.state];
  return (
    <p class={`save-indicator ${status.state}`} role="status" aria-live="polite" data-save-state={status.state}>
      <span aria-hidden="true" class="save-dot" />
      {text}
    </p>
  );
}
