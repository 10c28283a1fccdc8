ALTER TABLE "courses" ADD COLUMN "language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "courses" ADD CONSTRAINT "courses_language_iso" CHECK ("courses"."language" ~ '^[a-z]{2}$');--> statement-breakpoint
-- Courses written before the column: a title in Cyrillic is a course taught in Russian.
UPDATE "courses" SET "language" = 'ru' WHERE "title" ~ '[А-Яа-яЁё]';
