import { sql } from "drizzle-orm";
import { check, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./common";
import { merchants } from "./merchants";

/** REST API plumbing shared by every app instance: idempotency records and rate-limit windows. */

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    /** Test and live requests never share a key space. */
    mode: text("mode", { enum: ["live", "test"] }).notNull(),
    key: text("key").notNull(),
    /** SHA-256 of method, path and the exact body bytes. */
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: ["in_progress", "complete"] }).notNull().default("in_progress"),
    responseStatus: integer("response_status"),
    responseBody: text("response_body"),
    lockedUntil: timestamp("locked_until", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.mode, t.key] }),
    check("idempotency_keys_key_length", sql`char_length(${t.key}) between 1 and 255`),
    check(
      "idempotency_keys_complete_has_response",
      sql`${t.state} <> 'complete' or (${t.responseStatus} is not null and ${t.responseBody} is not null)`,
    ),
  ],
);

/** Fixed one-minute windows per bucket ("key:<api key id>"), counted with an upsert. */
export const apiRateLimits = pgTable(
  "api_rate_limits",
  {
    bucket: text("bucket").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] })],
);
