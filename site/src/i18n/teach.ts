/**
 * The teacher studio's strings, kept apart from en.ts so the studio and the learner site can change without
 * editing one file; same shape and rules as en.ts (`{name}` placeholders, plural forms picked on `count`).
 */
type Plural = { one: string; other: string; few?: string; many?: string };

export const teach = {
  "studio.title": "Teacher studio",
  "studio.nav": "Studio",
  "studio.courses": "Your courses",
  "studio.earnings": "Earnings",
  "studio.loginRequired": "Log in with a teacher account to open the studio.",
  "studio.login": "Log in",
  "studio.notTeacher":
    "The studio is for teacher accounts, and this one is a learner account. Start teaching from your profile: one click makes it a teacher account, and your courses and progress stay as they are.",
  "studio.becomeTeacher": "Start teaching from your profile",
  "studio.verifyEmail":
    "Confirm your email address to publish courses and receive payments: we sent you a link when you signed up.",
  "studio.resendVerification": "Send the link again",
  "studio.verificationSent": "Sent. Check your inbox.",
  "studio.editCourse": "Edit course",
  "studio.courseNotFound": "This course does not exist, or it is not yours.",

  "courses.lead": "Drafts and published courses, with their learners and what they earned.",
  "courses.new": "New course",
  "courses.empty": "You have no courses yet. Start one: it stays a draft until you publish it.",
  "courses.table": "Your courses",
  "courses.course": "Course",
  "courses.status": "Status",
  "courses.enrollments": "Learners",
  "courses.rating": "Rating",
  "courses.revenue": "Net revenue",
  "courses.noRating": "—",
  "courses.ratingValue": "{rating} ({count})",
  "courses.more": "Show more",
  "status.draft": "Draft",
  "status.published": "Published",

  "newCourse.title": "Start a new course",
  "newCourse.name": "Title",
  "newCourse.category": "Category",
  "newCourse.level": "Level",
  "newCourse.create": "Create draft",
  "newCourse.cancel": "Cancel",

  "details.heading": "Course details",
  "details.title": "Title",
  "details.subtitle": "Subtitle",
  "details.category": "Category",
  "details.level": "Level",
  "details.language": "Taught in",
  "details.pricing": "Price",
  "details.free": "Free",
  "details.paid": "Paid",
  "details.price": "Price in {currency}",
  "details.cover": "Cover image URL",
  "details.priceInvalid": "Enter a price between 0.01 and 10,000.",
  "details.coverInvalid": "The cover must be an https:// address.",
  "details.coverHint": "An https:// address of an image, shown on the course card and page.",
  "details.description": "Description",
  "details.descriptionHint": "Headings, lists, links, code and quotes are kept; anything else is removed when saved.",

  "save.saved": "All changes saved",
  "save.saving": "Saving…",
  "save.offline": {
    one: "Offline: {count} change waiting, saved when the connection returns",
    other: "Offline: {count} changes waiting, saved when the connection returns",
  },
  "save.failed": "Not saved: {message}",
  "save.retrying": "Could not save, retrying: {message}",
  "save.leaveWarning": "Some changes are not saved yet.",

  "curriculum.heading": "Curriculum",
  "curriculum.help":
    "Drag lessons and modules to reorder them, or focus one and press Alt+Arrow Up or Alt+Arrow Down. The order is saved at once.",
  "curriculum.empty": "No modules yet. Add a module, then its lessons.",
  "curriculum.addModule": "Add module",
  "curriculum.moduleTitle": "Module title",
  "curriculum.newModule": "New module title",
  "curriculum.addLesson": "Add lesson",
  "curriculum.newLesson": "New lesson title",
  "curriculum.lessonKind": "Kind",
  "curriculum.text": "Text",
  "curriculum.video": "Video",
  "curriculum.moveUp": "Move {title} up",
  "curriculum.moveDown": "Move {title} down",
  "curriculum.delete": "Delete {title}",
  "curriculum.deleteModuleConfirm":
    "Delete the module “{title}” and all its lessons? Learners lose their progress on them.",
  "curriculum.deleteLessonConfirm": "Delete the lesson “{title}”?",
  "curriculum.editLesson": "Edit {title}",
  "curriculum.moved": "{title} moved to position {position} of {module}.",
  "curriculum.modulePosition": "{title} moved to position {position}.",
  "curriculum.noLessons": "No lessons in this module yet.",
  "curriculum.dragHandle": "Drag to reorder {title}",

  "lesson.heading": "Lesson: {title}",
  "lesson.title": "Lesson title",
  "lesson.kind": "Kind",
  "lesson.body": "Lesson text",
  "lesson.videoUrl": "Video URL",
  "lesson.videoHint": "A YouTube, Vimeo, Cloudflare Stream or R2 https:// address.",
  "lesson.duration": "Duration in minutes",
  "lesson.preview": "Free preview (anyone can open it)",
  "lesson.titleTooShort": "The title must be at least 3 characters long.",
  "lesson.videoRequired": "A video lesson needs its video URL.",
  "lesson.mode": "Editor mode",
  "lesson.edit": "Edit",
  "lesson.showPreview": "Preview",
  "lesson.close": "Close lesson",
  "lesson.loading": "Loading the lesson…",
  "lesson.offline":
    "You are offline, so this lesson cannot be loaded yet. It opens by itself when you are back online.",
  "lesson.emptyBody": "This lesson has no text yet.",
  "lesson.videoMissing": "Add a video URL to preview the video.",
  "lesson.videoTitle": "Video: {title}",

  "publish.heading": "Publishing",
  "publish.draft": "This course is a draft: only you can see it.",
  "publish.published": "This course is published: learners can find it, enroll and buy it.",
  "publish.rules": "Before publishing",
  "publish.ruleMet": "(done)",
  "publish.ruleUnmet": "(to do)",
  "publish.previewHeading": "Preview as a learner",
  "publish.previewDraftNote":
    "The course page and the lesson player open once the course is published; until then, each lesson's Preview shows it as learners will see it.",
  "publish.publish": "Publish",
  "publish.unpublish": "Unpublish",
  "publish.needLesson": "Add at least one lesson before publishing.",
  "publish.needVerified": "Confirm your email address before publishing.",
  "publish.unpublishNote":
    "Unpublishing hides the course from the catalogue and search; enrolled learners keep their access.",
  "publish.previewLanding": "Preview the course page",
  "publish.previewPlayer": "Preview the first lesson",
  "publish.delete": "Delete draft",
  "publish.deleteConfirm": "Delete this draft course for good?",

  "earnings.lead": "What your courses earned: gross sales, Lectern's fee, and what is yours.",
  "earnings.gross": "Gross sales",
  "earnings.fee": "Platform fee",
  "earnings.net": "Your earnings",
  "earnings.byMonth": "By month",
  "earnings.chartLabel": "Net earnings and platform fee by month, {from} to {to}",
  "earnings.chartEmpty": "No sales yet. Earnings appear here after your first sale.",
  "earnings.tableToggle": "Show the figures as a table",
  "earnings.month": "Month",
  "earnings.sales": "Sales",
  "earnings.refunds": "Refunds",
  "earnings.recent": "Recent sales",
  "earnings.noSales": "No sales yet.",
  "earnings.date": "Date",
  "earnings.course": "Course",
  "earnings.kind": "Kind",
  "earnings.kind.sale": "Sale",
  "earnings.kind.refund": "Refund",
  "earnings.otherCurrencies": "Also earned in other currencies:",
  "earnings.barTitle": "{month}: net {net}, fee {fee}, gross {gross}",

  "editor.toolbar": "Formatting",
  "editor.heading": "Heading",
  "editor.subheading": "Subheading",
  "editor.bold": "Bold",
  "editor.italic": "Italic",
  "editor.bulletList": "Bulleted list",
  "editor.numberedList": "Numbered list",
  "editor.link": "Link",
  "editor.code": "Inline code",
  "editor.codeBlock": "Code block",
  "editor.quote": "Quote",
  "editor.linkPrompt": "Link address (https://…)",
  "editor.linkRefused": "Only http, https and mailto links are kept.",
} as const satisfies Record<string, string | Plural>;

export type TeachKey = keyof typeof teach;
type Vars = Record<string, string | number>;

const plurals = new Intl.PluralRules("en");

/** The studio message for `key`, with `{name}` placeholders filled (the same rules as `t` in en.ts). */
export function tt(key: TeachKey, vars: Vars = {}): string {
  const message: string | Plural = teach[key];
  const template = typeof message === "string"
    ? message
    : (message[plurals.select(Number(vars.count ?? 0)) as keyof Plural] ?? message.other);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
