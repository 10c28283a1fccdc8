import { t } from "../../i18n/en.ts";
import { videoEmbed } from "./video-embed.ts";

interface Lesson {
  title: string;
  kind: "text" | "video";
  body: string;
  videoUrl: string | null;
}

/** A lesson's video (embedded player or file) and its text, which the API sanitized when it was written. */
export function LessonContent({ lesson }: { lesson: Lesson }) {
  const video = lesson.kind === "video" && lesson.videoUrl ? videoEmbed(lesson.videoUrl) : undefined;
  return (
    <div class="lesson-content">
      {video?.kind === "iframe" && (
        <div class="video-frame">
          <iframe
            src={video.src}
            title={t("player.videoTitle", { title: lesson.title })}
            loading="lazy"
            allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; fullscreen"
            allowFullScreen
            referrerpolicy="strict-origin-when-cross-origin"
          />
        </div>
      )}
      {video?.kind === "file" && (
        <video class="video-frame" src={video.src} controls preload="metadata">
          <a href={video.src}>{t("player.openVideo")}</a>
        </video>
      )}
      {video?.kind === "link" && (
        <p>
          <a href={video.src} rel="noopener noreferrer" target="_blank">{t("player.openVideo")}</a>
        </p>
      )}
      {lesson.body && <div class="prose" dangerouslySetInnerHTML={{ __html: lesson.body }} />}
    </div>
  );
}
