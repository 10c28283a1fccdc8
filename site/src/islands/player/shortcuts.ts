import { useEffect, useRef } from "preact/hooks";

interface Shortcuts {
  next: () => void;
  previous: () => void;
  complete: () => void;
}

/** Keys that do nothing while the learner types, or with a modifier held (those belong to the browser). */
function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

/** J / → next lesson, K / ← previous, M mark complete. */
export function useShortcuts(handlers: Shortcuts): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      const action = event.key === "j" || event.key === "ArrowRight"
        ? "next"
        : event.key === "k" || event.key === "ArrowLeft"
        ? "previous"
        : event.key === "m"
        ? "complete"
        : undefined;
      if (!action) return;
      event.preventDefault();
      latest.current[action]();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}
