ALTER TABLE "payments" ADD COLUMN "refund_due" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Before one open checkout per buyer and course: the newest stays open, older duplicates expire.
UPDATE "payments" SET "status" = 'expired', "updated_at" = now()
WHERE "id" IN (
  SELECT "id" FROM (
    SELECT "id", row_number() OVER (PARTITION BY "user_id", "course_id" ORDER BY "created_at" DESC, "id" DESC) AS "rank"
    FROM "payments" WHERE "status" = 'pending'
  ) AS "open" WHERE "rank" > 1
);--> statement-breakpoint
-- Before one charge per buyer and course: the first charge stays, later ones are refunds the provider still owes.
UPDATE "payments" SET "status" = 'refunded', "refunded_at" = now(), "refund_due" = true, "updated_at" = now()
WHERE "id" IN (
  SELECT "id" FROM (
    SELECT "id", row_number() OVER (PARTITION BY "user_id", "course_id" ORDER BY "paid_at", "created_at", "id") AS "rank"
    FROM "payments" WHERE "status" = 'succeeded'
  ) AS "paid" WHERE "rank" > 1
);--> statement-breakpoint
INSERT INTO "earnings_ledger" ("id", "teacher_id", "payment_id", "course_id", "kind", "gross_cents", "platform_fee_cents", "net_cents", "currency")
SELECT gen_random_uuid(), "sale"."teacher_id", "sale"."payment_id", "sale"."course_id", 'refund', -"sale"."gross_cents", -"sale"."platform_fee_cents", -"sale"."net_cents", "sale"."currency"
FROM "earnings_ledger" AS "sale" INNER JOIN "payments" ON "payments"."id" = "sale"."payment_id"
WHERE "sale"."kind" = 'sale' AND "payments"."refund_due"
ON CONFLICT ("payment_id", "kind") DO NOTHING;--> statement-breakpoint
-- Access follows the charge that remains, even where refunding a second charge had ended it.
UPDATE "enrollments" SET
  "payment_id" = "payments"."id",
  "status" = CASE
    WHEN "enrollments"."status" <> 'refunded' THEN "enrollments"."status"
    WHEN "enrollments"."completed_at" IS NULL THEN 'active'::"enrollment_status"
    ELSE 'completed'::"enrollment_status"
  END
FROM "payments"
WHERE "payments"."user_id" = "enrollments"."user_id" AND "payments"."course_id" = "enrollments"."course_id"
  AND "payments"."status" = 'succeeded'
  AND ("enrollments"."payment_id" IS DISTINCT FROM "payments"."id" OR "enrollments"."status" = 'refunded');--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_open_checkout_key" ON "payments" USING btree ("user_id","course_id") WHERE "payments"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_success_key" ON "payments" USING btree ("user_id","course_id") WHERE "payments"."status" = 'succeeded';--> statement-breakpoint
CREATE INDEX "payments_refund_due_idx" ON "payments" USING btree ("id") WHERE "payments"."refund_due";
