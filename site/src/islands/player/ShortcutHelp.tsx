import { useEffect, useRef } from "preact/hooks";
import { t } from "../../i18n/en.ts";

const SHORTCUTS = [
  { keys: ["J", "→"], action: "player.next" },
  { keys: ["K", "←"], action: "player.previous" },
  { keys: ["M"], action: "player.markComplete" },
  { keys: ["?"], action: "player.shortcutsHelp" },
] as const;

/**
 * The player's keyboard shortcuts, listed in a modal dialog: the browser's own dialog keeps focus inside,
 * closes on Escape and gives focus back to what had it.
 */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (open && !element?.open) element?.showModal();
    if (!open && element?.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} class="shortcut-help" aria-labelledby="shortcut-help-title" onClose={onClose}>
      <h2 id="shortcut-help-title">{t("player.shortcutsHelp")}</h2>
      <dl>
        {SHORTCUTS.map(({ keys, action }) => (
          <div key={action}>
            <dt>
              {keys.map((key, index) => (
                <span key={key}>
                  {index > 0 && ` ${t("player.or")} `}
                  <kbd>{key}</kbd>
                </span>
              ))}
            </dt>
            <dd>{t(action)}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit" class="button small">{t("common.close")}</button>
      </form>
    </dialog>
  );
}
