/**
 * How to show a lesson's video: an embeddable player URL for YouTube, Vimeo
 * and Cloudflare Stream, or a file (R2) for the browser's own <video>. The API
 * only accepts these hosts, so anything else is shown as a plain link.
 */
export type VideoEmbed = { kind: "iframe"; src: string } | { kind: "file"; src: string } | {
  kind: "link";
  src: string;
};

const YOUTUBE_ID = /^[\w-]{6,20}$/;

export function videoEmbed(videoUrl: string): VideoEmbed {
  let url: URL;
  try {
    url = new URL(videoUrl);
  } catch {
    return { kind: "link", src: videoUrl };
  }
  const host = url.hostname;
  const segments = url.pathname.split("/").filter(Boolean);
  if (host === "youtu.be" || host.endsWith("youtube.com") || host === "www.youtube-nocookie.com") {
    const id = host === "youtu.be"
      ? segments[0]
      : segments[0] === "embed" || segments[0] === "shorts"
      ? segments[1]
      : url.searchParams.get("v");
    if (id && YOUTUBE_ID.test(id)) return { kind: "iframe", src: `https://www.youtube-nocookie.com/embed/${id}` };
  }
  if (host === "vimeo.com" || host === "player.vimeo.com") {
    const id = segments.find((segment) => /^\d+$/.test(segment));
    if (id) return { kind: "iframe", src: `https://player.vimeo.com/video/${id}` };
  }
  if (host === "videodelivery.net" || host.endsWith(".cloudflarestream.com")) {
    const id = segments[0];
    if (id) return { kind: "iframe", src: `https://${host}/${id}/iframe` };
  }
  if (host.endsWith(".r2.dev") || host.endsWith(".r2.cloudflarestorage.com")) return { kind: "file", src: videoUrl };
  return { kind: "link", src: videoUrl };
}
