import { useEffect, useRef, useState } from "preact/hooks";

/**
 * A button that shows and hides a panel (the disclosure pattern): Escape
 * closes it and gives focus back to the button, and so does a click or focus
 * moving outside the container.
 */
export function useDisclosure() {
  const [open, setOpen] = useState(false);
  const container = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const onOutside = (event: Event) => {
      if (!container.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onOutside);
    document.addEventListener("focusin", onOutside);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onOutside);
      document.removeEventListener("focusin", onOutside);
    };
  }, [open]);

  return {
    open,
    close: () => setOpen(false),
    containerRef: container,
    buttonProps: {
      ref: button,
      type: "button" as const,
      "aria-expanded": open,
      onClick: () => setOpen((was) => !was),
    },
  };
}
