/**
 * The address to embed for a lesson's video URL, for the lesson preview: YouTube and Vimeo pages become their
 * players (YouTube's privacy-enhanced one); Cloudflare Stream and R2 addresses are files or players already.
 */
export function videoEmbed(url: string): { kind: "iframe" | "file"; src: string } | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== "https:") return undefined;
  const host = parsed.hostname.replace(/^www\./, "");
  if (host === "youtube.com" && parsed.searchParams.has("v")) {
    return {
      kind: "iframe",
      src: `https://www.youtube-nocookie.com/embed/${encodeURIComponent(parsed.searchParams.get("v")!)}`,
    };
  }
  if (host === "youtu.be") return { kind: "iframe", src: `https://www.youtube-nocookie.com/embed${parsed.pathname}` };
  if (host === "vimeo.com") return { kind: "iframe", src: `https://player.vimeo.com/video${parsed.pathname}` };
  if (host.endsWith(".r2.dev") || host.endsWith(".r2.cloudflarestorage.com")) return { kind: "file", src: parsed.href };
  return { kind: "iframe", src: parsed.href };
}
