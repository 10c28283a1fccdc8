import xss from "xss";

/**
 * Teacher-authored HTML is sanitized once, on write, so what is stored and served is always safe.
 *
 * js-xss supplies the tokenizer (it runs in workerd, where DOMPurify has no DOM). Every tag it finds goes
 * through `onTag`, which re-renders the tag from scratch: only allowed names, only allowed attributes with
 * validated values, always double-quoted and escaped. Nothing of the author's original tag text is copied,
 * so a quirk in how the tokenizer reads malformed markup cannot smuggle anything through.
 */

const BLOCK_TAGS = ["h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "blockquote", "pre"];
const FORMATTING_TAGS = ["strong", "b", "em", "i", "u", "s", "code"];
const ALLOWED_TAGS = new Set([...BLOCK_TAGS, ...FORMATTING_TAGS, "a", "img"]);
const VOID_TAGS = new Set(["br", "hr", "img"]);

// Their bodies are code, fallback content or form controls, never prose worth keeping.
const RAW_TEXT_TAGS = ["script", "style", "title", "textarea", "xmp", "plaintext", "noscript", "noembed", "noframes"];
const EMBEDDING_TAGS = ["template", "iframe", "object", "applet", "svg", "math", "audio", "video", "canvas"];
const DROPPED_WITH_CONTENT = new Set([...RAW_TEXT_TAGS, ...EMBEDDING_TAGS, "form", "select"]);

/** Tags that do not separate words when the HTML is read as plain text. */
const INLINE_TAGS = new Set([...FORMATTING_TAGS, "a", "span", "small", "sub", "sup", "mark"]);

const LINK_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
const IMAGE_PROTOCOLS = new Set(["https:"]);
const EXTERNAL_LINK_ATTRIBUTES = 'rel="noopener noreferrer nofollow" target="_blank"';

const NAMED_ENTITIES = new Map(Object.entries({
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  Tab: "\t",
  NewLine: "\n",
  colon: ":",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  laquo: "«",
  raquo: "»",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
}));

// Control characters other than tab and line breaks have no business in stored text, and NUL inside a tag
// name is one of the classic ways to hide `<scr\0ipt>` from a filter.
const STRAY_CONTROLS = /[^\P{Cc}\t\n\r]/gu;
// In single-line text no control character is wanted, and bidi overrides and isolates can make a title read
// differently from what it is ("Trojan Source").
const INVISIBLE_CONTROLS = /[^\P{Cc}\s]|[\u202a-\u202e\u2066-\u2069]/gu;
const TAG_NAME = /^<(\/?)([a-z][^\s/>]*)/i;
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
const NUMERIC_DIMENSION = /^\d{1,4}$/;

export function sanitizeHtml(html: string): string {
  const openElements: string[] = [];
  const body = filterMarkup(html, {
    text: escapeText,
    tag(name, attributeSource, isClosing) {
      if (!ALLOWED_TAGS.has(name)) return "";
      if (isClosing) return closeElement(openElements, name);
      const rendered = renderOpeningTag(name, parseAttributes(attributeSource));
      if (rendered !== undefined && !VOID_TAGS.has(name)) openElements.push(name);
      return rendered ?? "";
    },
  });
  // Unclosed formatting elements would otherwise spill into the page around the fragment.
  return body + openElements.reverse().map((name) => `</${name}>`).join("");
}

export function htmlToText(html: string): string {
  const text = filterMarkup(html, {
    text: (segment) => segment,
    tag: (name) => INLINE_TAGS.has(name) ? "" : " ",
  });
  return plainText(decodeEntities(text));
}

/** Single-line text such as titles; escaping belongs to whoever renders it. */
export function plainText(value: string): string {
  return value.normalize("NFC").replace(INVISIBLE_CONTROLS, "").replace(/\s+/g, " ").trim();
}

interface MarkupHandlers {
  text(segment: string): string;
  tag(name: string, attributeSource: string, isClosing: boolean): string;
}

/** Tokenizes with js-xss, which also strips comments, and drops the bodies of DROPPED_WITH_CONTENT elements. */
function filterMarkup(html: string, handlers: MarkupHandlers): string {
  let dropping: { name: string; depth: number } | undefined;
  const text = (segment: string) => dropping ? "" : handlers.text(segment);
  return xss(html.replace(STRAY_CONTROLS, ""), {
    css: false,
    escapeHtml: text,
    onTag(_tag, rawTag) {
      const match = TAG_NAME.exec(rawTag);
      if (match === null) {
        // Browsers read `<!…>`, `<?…>` and `</…` without a name as bogus comments, and a lone `<` as text.
        return /^<[!?/]/.test(rawTag) ? "" : text(rawTag);
      }
      const isClosing = match[1] === "/";
      const name = match[2]!.toLowerCase();
      if (dropping) {
        if (name === dropping.name) dropping.depth += isClosing ? -1 : 1;
        if (dropping.depth === 0) dropping = undefined;
        return "";
      }
      if (DROPPED_WITH_CONTENT.has(name)) {
        if (!isClosing) dropping = { name, depth: 1 };
        return "";
      }
      // The tokenizer hands over a tag cut off by the end of input; browsers discard those.
      if (!rawTag.endsWith(">")) return "";
      return handlers.tag(name, rawTag.slice(match[0].length, -1), isClosing);
    },
  });
}

/** Closes `name` and anything still open inside it; a closing tag with nothing to close is dropped. */
function closeElement(openElements: string[], name: string): string {
  const index = openElements.lastIndexOf(name);
  if (index === -1) return "";
  return openElements.splice(index).reverse().map((open) => `</${open}>`).join("");
}

/** Undefined when the element is useless without the attribute that failed validation. */
function renderOpeningTag(name: string, attributes: Map<string, string>): string | undefined {
  if (name === "a") {
    const href = safeUrl(attributes.get("href"), LINK_PROTOCOLS);
    if (href === undefined) return undefined;
    const external = href.protocol === "http:" || href.protocol === "https:";
    return renderTag("a", [
      ["href", href.href],
      ["title", plainText(attributes.get("title") ?? "")],
    ], external ? EXTERNAL_LINK_ATTRIBUTES : "");
  }
  if (name === "img") {
    const src = safeUrl(attributes.get("src"), IMAGE_PROTOCOLS);
    if (src === undefined) return undefined;
    return renderTag("img", [
      ["src", src.href],
      ["alt", plainText(attributes.get("alt") ?? "")],
      ["width", dimension(attributes.get("width"))],
      ["height", dimension(attributes.get("height"))],
    ]);
  }
  return `<${name}>`;
}

function renderTag(name: string, attributes: [string, string][], fixedAttributes = ""): string {
  const rendered = attributes
    .filter(([, value]) => value !== "")
    .map(([attribute, value]) => `${attribute}="${escapeAttribute(value)}"`);
  if (fixedAttributes) rendered.push(fixedAttributes);
  return `<${name} ${rendered.join(" ")}>`;
}

/** Values are entity-decoded here and fully re-escaped on output, so the browser sees what was validated. */
function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name, doubleQuoted, singleQuoted, unquoted] of source.matchAll(ATTRIBUTE)) {
    const key = name!.toLowerCase();
    // Browsers keep the first of duplicated attributes.
    if (!attributes.has(key)) attributes.set(key, decodeEntities(doubleQuoted ?? singleQuoted ?? unquoted ?? ""));
  }
  return attributes;
}

/**
 * An allow-list of schemes checked on the URL the browser would actually parse: the URL parser itself
 * drops tabs and newlines and trims control characters, which defeats `java\tscript:` and friends.
 */
function safeUrl(value: string | undefined, protocols: Set<string>): URL | undefined {
  if (value === undefined || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return protocols.has(url.protocol) ? url : undefined;
}

function dimension(value: string | undefined): string {
  const trimmed = value?.trim() ?? "";
  return NUMERIC_DIMENSION.test(trimmed) ? trimmed : "";
}

function escapeText(text: string): string {
  return text.replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function escapeAttribute(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function decodeEntities(text: string): string {
  return text.replace(/&(?:#x([\da-f]+)|#(\d+)|([a-z][a-z\d]*));?/gi, (entity, hex, decimal, name) => {
    if (name !== undefined) return entity.endsWith(";") ? NAMED_ENTITIES.get(name) ?? entity : entity;
    const codePoint = hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal);
    const isScalarValue = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
    return isScalarValue ? String.fromCodePoint(codePoint) : "\ufffd";
  });
}
