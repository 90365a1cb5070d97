import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DatabaseHandle } from "@/db/client";
import { createTestDatabase, targetName } from "../helpers/test-db";

describe(`migrations (${targetName()})`, () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await createTestDatabase();
  });
  afterAll(async () => h?.close());

  it("creates every table of both specs", async () => {
    const rows = await queryRows<{ table_name: string }>(
      h.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = rows.map((r) => r.table_name);
    expect(names).toEqual(
      expect.arrayContaining([
        "accounts", "account_model_quotas", "admins", "admin_sessions", "merchants", "api_keys",
        "webhook_endpoints", "merchant_payout_settings", "customers", "customer_payment_history",
        "invoices", "invoice_items", "payments", "audit_entries", "system_configuration",
        "exchange_rates", "merchant_analytics", "notification_templates", "notification_deliveries",
        "webhook_deliveries", "webhook_delivery_attempts", "hot_wallets", "wallet_transactions",
        "refill_requests", "forwarding_attempts", "outbox_events",
      ]),
    );
  });
});
