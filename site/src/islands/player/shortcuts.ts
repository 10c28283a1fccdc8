import { useEffect, useRef } from "preact/hooks";

interface Shortcuts {
  next: () => void;
  previous: () => void;
  complete: () => void;
  help: () => void;
}

/** Keys that do nothing while the learner types, or with a modifier held (those belong to the browser). */
function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/** Letters match in either case (Shift or Caps Lock held); "?" is Shift+/ on most layouts, so Shift is allowed. */
const ACTIONS: Record<string, keyof Shortcuts> = {
  j: "next",
  arrowright: "next",
  k: "previous",
  arrowleft: "previous",
  m: "complete",
  "?": "help",
};

/** J / → next lesson, K / ← previous, M mark complete, ? the list of shortcuts. */
export function useShortcuts(handlers: Shortcuts): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const action = ACTIONS[event.key.toLowerCase()];
      if (!action) return;
      event.preventDefault();
      latest.current[action]();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}
