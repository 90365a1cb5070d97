CREATE TYPE "public"."account_order_status" AS ENUM('reserved', 'paid', 'expired', 'cancelled', 'unfulfillable');--> statement-breakpoint
CREATE TABLE "account_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"status" "account_order_status" DEFAULT 'reserved' NOT NULL,
	"price_minor" bigint NOT NULL,
	"price_currency" "fiat_currency" NOT NULL,
	"buyer_email" text,
	"access_token_hash" text NOT NULL,
	"reserved_until" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"email_sent_at" timestamp with time zone,
	"email_attempts" integer DEFAULT 0 NOT NULL,
	"email_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_orders_price_positive" CHECK ("account_orders"."price_minor" > 0),
	CONSTRAINT "account_orders_paid_at_when_paid" CHECK ("account_orders"."status" <> 'paid' or "account_orders"."paid_at" is not null),
	CONSTRAINT "account_orders_email_attempts_nonnegative" CHECK ("account_orders"."email_attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "catalog_version" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_version_single_row" CHECK ("catalog_version"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "quota_refresh_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trigger" text NOT NULL,
	"admin_id" uuid,
	"total" integer NOT NULL,
	"succeeded" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "quota_refresh_runs_counts" CHECK ("quota_refresh_runs"."succeeded" >= 0 and "quota_refresh_runs"."failed" >= 0 and "quota_refresh_runs"."succeeded" + "quota_refresh_runs"."failed" <= "quota_refresh_runs"."total")
);
--> statement-breakpoint
ALTER TABLE "system_configuration" ADD COLUMN "store_merchant_id" uuid;--> statement-breakpoint
ALTER TABLE "account_orders" ADD CONSTRAINT "account_orders_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_orders" ADD CONSTRAINT "account_orders_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "account_orders_invoice_key" ON "account_orders" USING btree ("invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "account_orders_access_token_key" ON "account_orders" USING btree ("access_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "account_orders_one_live_reservation" ON "account_orders" USING btree ("account_id") WHERE "account_orders"."status" = 'reserved';--> statement-breakpoint
CREATE INDEX "account_orders_account_idx" ON "account_orders" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "account_orders_status_idx" ON "account_orders" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "quota_refresh_runs_started_idx" ON "quota_refresh_runs" USING btree ("started_at");--> statement-breakpoint
ALTER TABLE "system_configuration" ADD CONSTRAINT "system_configuration_store_merchant_id_merchants_id_fk" FOREIGN KEY ("store_merchant_id") REFERENCES "public"."merchants"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
INSERT INTO "catalog_version" ("id", "version") VALUES (1, 0) ON CONFLICT DO NOTHING;--> statement-breakpoint
CREATE FUNCTION "bump_catalog_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "catalog_version" SET "version" = "version" + 1, "changed_at" = now() WHERE "id" = 1;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "accounts_bump_catalog_version" AFTER INSERT OR UPDATE OR DELETE ON "accounts" FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version"();--> statement-breakpoint
CREATE TRIGGER "account_model_quotas_bump_catalog_version" AFTER INSERT OR UPDATE OR DELETE ON "account_model_quotas" FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version"();--> statement-breakpoint
CREATE TRIGGER "account_orders_bump_catalog_version" AFTER INSERT OR UPDATE OR DELETE ON "account_orders" FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalog_version"();
