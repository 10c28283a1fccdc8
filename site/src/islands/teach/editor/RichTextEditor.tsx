import { useEffect, useRef, useState } from "preact/hooks";
import { tt } from "../../../i18n/teach.ts";
import { cleanHtml, safeLink } from "./clean-html.ts";

/**
 * A small rich-text editor: a contenteditable with a toolbar for exactly what the API keeps (headings, bold,
 * italic, lists, links, code, blockquote). The browser's editing commands do the editing; `cleanHtml` turns the
 * result into the allowed HTML on every change and on paste. No library: the well-kept ones (ProseMirror, Lexical,
 * Tiptap) weigh 50–150 KB for features the API would strip anyway.
 */

interface Props {
  /** The id of the element that labels the editor. */
  labelledBy: string;
  describedBy?: string;
  initialHtml: string;
  onChange: (html: string) => void;
}

type Block = "h2" | "h3" | "p" | "blockquote" | "pre";

interface Tool {
  label: string;
  text: string;
  /** For aria-pressed; undefined for actions with no on/off state. */
  isActive?: () => boolean;
  apply: () => void;
}

function currentBlock(): string {
  return String(document.queryCommandValue("formatBlock")).toLowerCase();
}

function escapeText(text: string): string {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

function formatBlock(block: Block) {
  // Applying the block the selection is already in turns it back into a paragraph, as word processors do.
  document.execCommand("formatBlock", false, currentBlock() === block && block !== "p" ? "<p>" : `<${block}>`);
}

function wrapInlineCode() {
  const selected = document.getSelection()?.toString() ?? "";
  if (selected) document.execCommand("insertHTML", false, `<code>${escapeText(selected)}</code>`);
}

function insertLink() {
  const answer = globalThis.prompt(tt("editor.linkPrompt"), "https://");
  if (!answer) return;
  const href = safeLink(answer);
  if (!href) {
    globalThis.alert(tt("editor.linkRefused"));
    return;
  }
  if (document.getSelection()?.isCollapsed) {
    document.execCommand("insertHTML", false, `<a href="${escapeText(href)}">${escapeText(href)}</a>`);
  } else {
    document.execCommand("createLink", false, href);
  }
}

const TOOLS: Tool[] = [
  { label: tt("editor.heading"), text: "H2", isActive: () => currentBlock() === "h2", apply: () => formatBlock("h2") },
  {
    label: tt("editor.subheading"),
    text: "H3",
    isActive: () => currentBlock() === "h3",
    apply: () => formatBlock("h3"),
  },
  {
    label: tt("editor.bold"),
    text: "B",
    isActive: () => document.queryCommandState("bold"),
    apply: () => document.execCommand("bold"),
  },
  {
    label: tt("editor.italic"),
    text: "I",
    isActive: () => document.queryCommandState("italic"),
    apply: () => document.execCommand("italic"),
  },
  {
    label: tt("editor.bulletList"),
    text: "• List",
    isActive: () => document.queryCommandState("insertUnorderedList"),
    apply: () => document.execCommand("insertUnorderedList"),
  },
  {
    label: tt("editor.numberedList"),
    text: "1. List",
    isActive: () => document.queryCommandState("insertOrderedList"),
    apply: () => document.execCommand("insertOrderedList"),
  },
  { label: tt("editor.link"), text: "Link", apply: insertLink },
  { label: tt("editor.code"), text: "</>", apply: wrapInlineCode },
  {
    label: tt("editor.codeBlock"),
    text: "Code block",
    isActive: () => currentBlock() === "pre",
    apply: () => formatBlock("pre"),
  },
  {
    label: tt("editor.quote"),
    text: "❝ Quote",
    isActive: () => currentBlock() === "blockquote",
    apply: () => formatBlock("blockquote"),
  },
];

export function RichTextEditor({ labelledBy, describedBy, initialHtml, onChange }: Props) {
  const editable = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<boolean[]>(() => TOOLS.map(() => false));
  // Roving tabindex: the toolbar is one tab stop, arrow keys move within it (WAI-ARIA toolbar pattern).
  const [focusIndex, setFocusIndex] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    // Set once: the editor owns its DOM from then on, or every keystroke would reset the caret.
    if (editable.current) editable.current.innerHTML = cleanHtml(initialHtml);
    document.execCommand("defaultParagraphSeparator", false, "p");
    const refreshState = () => {
      if (!editable.current?.contains(document.getSelection()?.anchorNode ?? null)) return;
      setActive(TOOLS.map((tool) => tool.isActive?.() ?? false));
    };
    document.addEventListener("selectionchange", refreshState);
    return () => document.removeEventListener("selectionchange", refreshState);
  }, []);

  const emit = () => {
    if (editable.current) onChange(cleanHtml(editable.current));
  };

  const apply = (tool: Tool) => {
    editable.current?.focus();
    tool.apply();
    emit();
  };

  const onToolbarKey = (event: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, Home: -TOOLS.length, End: TOOLS.length };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(TOOLS.length - 1, focusIndex + move));
    setFocusIndex(next);
    buttons.current[next]?.focus();
  };

  const onPaste = (event: ClipboardEvent) => {
    const html = event.clipboardData?.getData("text/html");
    const text = event.clipboardData?.getData("text/plain") ?? "";
    event.preventDefault();
    if (html) document.execCommand("insertHTML", false, cleanHtml(html));
    else document.execCommand("insertText", false, text);
    emit();
  };

  return (
    <div class="rich-text">
      <div
        role="toolbar"
        aria-label={tt("editor.toolbar")}
        aria-controls={`${labelledBy}-editable`}
        onKeyDown={onToolbarKey}
      >
        {TOOLS.map((tool, index) => (
          <button
            key={tool.label}
            ref={(button) => {
              buttons.current[index] = button;
            }}
            type="button"
            tabIndex={index === focusIndex ? 0 : -1}
            aria-label={tool.label}
            title={tool.label}
            aria-pressed={tool.isActive ? active[index] : undefined}
            // Keeps the selection in the editable: a button that took focus would lose it before the command runs.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => {
              setFocusIndex(index);
              apply(tool);
            }}
          >
            {tool.text}
          </button>
        ))}
      </div>
      <div
        ref={editable}
        id={`${labelledBy}-editable`}
        class="rich-text-area"
        contentEditable
        role="textbox"
        aria-multiline="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        onInput={emit}
        onPaste={onPaste}
      />
    </div>
  );
}
