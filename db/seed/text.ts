function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A paragraph, or a bulleted list. */
export type Block = string | readonly string[];

/** Markup the sanitizer keeps unchanged (p, ul, li, escaped text), so it is stored as teachers' HTML is. */
export function toHtml(blocks: readonly Block[]): string {
  return blocks
    .map((block) =>
      typeof block === "string"
        ? `<p>${escapeHtml(block)}</p>`
        : `<ul>${block.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`
    )
    .join("");
}

/** Fills `{name}` placeholders; a template naming a missing value is a bug in the seed data. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`seed template needs {${name}}: ${template}`);
    return value;
  });
}
