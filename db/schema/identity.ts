import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, index, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestampTz, updatedAt } from "./columns.ts";

export const userRole = pgEnum("user_role", ["student", "teacher", "admin"]);

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: userRole("role").notNull().default("student"),
    passwordHash: text("password_hash").notNull(),
    emailVerifiedAt: timestampTz("email_verified_at"),
    lastSeenAt: timestampTz("last_seen_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    index("users_last_seen_at_idx").on(t.lastSeenAt),
    check("users_email_normalized", sql`${t.email} = lower(btrim(${t.email}))`),
    check("users_name_not_blank", sql`length(btrim(${t.name})) > 0`),
  ],
);

/** A login starts a family; every refresh token descends from it, so reuse of any member can revoke all. */
export const refreshTokenFamilies = pgTable(
  "refresh_token_families",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastUsedAt: timestampTz("last_used_at").notNull().defaultNow(),
    expiresAt: timestampTz("expires_at").notNull(),
    revokedAt: timestampTz("revoked_at"),
    revokedReason: text("revoked_reason"),
    userAgent: text("user_agent"),
  },
  (t) => [index("refresh_token_families_user_id_idx").on(t.userId)],
);

export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: id(),
    familyId: uuid("family_id").notNull().references(() => refreshTokenFamilies.id, { onDelete: "cascade" }),
    parentId: uuid("parent_id").references((): AnyPgColumn => refreshTokens.id, { onDelete: "set null" }),
    /** SHA-256 of the opaque token, hex; the token itself is never stored. */
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    retiredAt: timestampTz("retired_at"),
  },
  (t) => [
    uniqueIndex("refresh_tokens_token_hash_key").on(t.tokenHash),
    index("refresh_tokens_family_id_idx").on(t.familyId),
    index("refresh_tokens_parent_id_idx").on(t.parentId),
  ],
);

export const actionTokenPurpose = pgEnum("action_token_purpose", ["verify_email", "reset_password"]);

/** Single-use emailed tokens (email verification, password reset), stored only as SHA-256. */
export const actionTokens = pgTable(
  "action_tokens",
  {
    id: id(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    purpose: actionTokenPurpose("purpose").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestampTz("expires_at").notNull(),
    usedAt: timestampTz("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("action_tokens_token_hash_key").on(t.tokenHash),
    index("action_tokens_user_id_purpose_idx").on(t.userId, t.purpose),
    index("action_tokens_expires_at_idx").on(t.expiresAt),
  ],
);
