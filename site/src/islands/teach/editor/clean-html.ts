/**
 * Turns whatever a contenteditable holds (browsers write <b>, <div>, <span style>, <font>; pastes bring anything)
 * into the small vocabulary the API keeps (api/lib/sanitize.ts): h2–h4, p, br, ul/ol/li, blockquote, pre, strong,
 * em, u, s, code and links. The server sanitizes again on write and is the authority; this pass makes what the
 * teacher sees while editing the same as what learners will see, and keeps pasted junk out of the document.
 */

const RENAMED: Record<string, string> = {
  b: "strong",
  i: "em",
  h1: "h2",
  h5: "h4",
  h6: "h4",
  div: "p",
  strike: "s",
  del: "s",
  tt: "code",
  kbd: "code",
  samp: "code",
};
const KEPT = new Set(["h2", "h3", "h4", "p", "br", "ul", "ol", "li", "blockquote", "pre", "strong", "em", "u", "s"]);
// Removed with everything inside them: their text is code, markup or a control, never prose.
const DROPPED = new Set(["script", "style", "template", "iframe", "object", "embed", "svg", "math", "head", "title"]);
const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

export function safeLink(href: string): string | undefined {
  const trimmed = href.trim();
  const withScheme = /^[a-z][a-z\d+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`;
  if (!URL.canParse(withScheme)) return undefined;
  const url = new URL(withScheme);
  return LINK_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}

export function cleanHtml(source: Node | string): string {
  const template = document.createElement("template");
  if (typeof source === "string") template.innerHTML = source;
  else template.content.append(...[...source.childNodes].map((node) => node.cloneNode(true)));
  const output = document.createElement("div");
  appendClean(template.content, output);
  wrapLooseInline(output);
  return output.innerHTML.replace(/^(<p><br><\/p>)+$/, "");
}

const BLOCKS = new Set(["h2", "h3", "h4", "p", "ul", "ol", "blockquote", "pre"]);

/**
 * Text typed into an empty editor, or left between blocks, sits bare at the top level; it goes into paragraphs
 * so the stored HTML is made of blocks, as the learner page's styles expect.
 */
function wrapLooseInline(root: HTMLElement) {
  let paragraph: HTMLParagraphElement | undefined;
  for (const node of [...root.childNodes]) {
    if (node instanceof Element && BLOCKS.has(node.localName)) {
      paragraph = undefined;
      continue;
    }
    if (!paragraph) {
      if (node.nodeType === Node.TEXT_NODE && !node.textContent?.trim()) continue;
      paragraph = document.createElement("p");
      root.insertBefore(paragraph, node);
    }
    paragraph.appendChild(node);
  }
}

function appendClean(from: Node, into: Node) {
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      into.appendChild(document.createTextNode(node.textContent ?? ""));
      continue;
    }
    if (!(node instanceof Element)) continue;
    const name = node.localName;
    if (DROPPED.has(name)) continue;
    const kept = RENAMED[name] ?? name;
    if (kept === "a") {
      const href = safeLink(node.getAttribute("href") ?? "");
      const link = href === undefined ? undefined : Object.assign(document.createElement("a"), { href });
      appendClean(node, link ?? into);
      if (link) into.appendChild(link);
    } else if (KEPT.has(kept) || (kept === "code" && !node.closest("pre"))) {
      const element = document.createElement(kept);
      appendClean(node, element);
      into.appendChild(element);
    } else {
      // Unknown wrappers (span, font, section…) and <code> inside <pre> give up the tag but keep their text.
      appendClean(node, into);
    }
  }
}
