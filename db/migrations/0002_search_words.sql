CREATE TABLE "search_lexicon" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
DROP INDEX "courses_title_trgm_idx";--> statement-breakpoint
DROP INDEX "courses_description_trgm_idx";--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "title_words" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "search_words" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title || ' ' || coalesce(subtitle, '') || ' ' || description_text)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "search_lexicon_word_trgm_idx" ON "search_lexicon" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "courses_title_words_idx" ON "courses" USING gin ("title_words");--> statement-breakpoint
CREATE INDEX "courses_search_words_idx" ON "courses" USING gin ("search_words");--> statement-breakpoint
-- The lexicon follows the courses' words in the same transaction as the write. Words go in sorted
-- (tsvector_to_array's order), so two writers adding the same new words take their locks in one order.
CREATE FUNCTION search_lexicon_add_course_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_lexicon (word)
  SELECT word FROM unnest(tsvector_to_array(NEW.search_words)) AS word ORDER BY word
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER courses_search_lexicon
  AFTER INSERT OR UPDATE OF title, subtitle, description_text ON courses
  FOR EACH ROW EXECUTE FUNCTION search_lexicon_add_course_words();--> statement-breakpoint
INSERT INTO search_lexicon (word)
SELECT DISTINCT unnest(tsvector_to_array(search_words)) FROM courses
ON CONFLICT DO NOTHING;
