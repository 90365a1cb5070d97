CREATE TABLE "merchant_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"token" text NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchant_sessions_expiry_after_creation" CHECK ("merchant_sessions"."expires_at" > "merchant_sessions"."created_at")
);
--> statement-breakpoint
CREATE TABLE "payment_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"livemode" boolean NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"fiat_currency" "fiat_currency" NOT NULL,
	"price_minor" bigint NOT NULL,
	"crypto_currency" "crypto_currency" NOT NULL,
	"network" "blockchain_network" NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_links_title_length" CHECK (char_length("payment_links"."title") between 1 and 255),
	CONSTRAINT "payment_links_description_length" CHECK ("payment_links"."description" is null or char_length("payment_links"."description") <= 1000),
	CONSTRAINT "payment_links_price_positive" CHECK ("payment_links"."price_minor" > 0),
	CONSTRAINT "payment_links_currency_network" CHECK (("payment_links"."crypto_currency" = 'BTC' and "payment_links"."network" = 'bitcoin') or ("payment_links"."crypto_currency" = 'ETH' and "payment_links"."network" = 'ethereum') or ("payment_links"."crypto_currency" = 'USDT' and "payment_links"."network" in ('ethereum', 'tron')))
);
--> statement-breakpoint
CREATE TABLE "api_rate_limits" (
	"bucket" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "api_rate_limits_bucket_window_start_pk" PRIMARY KEY("bucket","window_start")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"merchant_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text DEFAULT 'in_progress' NOT NULL,
	"response_status" integer,
	"response_body" text,
	"locked_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_merchant_id_mode_key_pk" PRIMARY KEY("merchant_id","mode","key"),
	CONSTRAINT "idempotency_keys_key_length" CHECK (char_length("idempotency_keys"."key") between 1 and 255),
	CONSTRAINT "idempotency_keys_complete_has_response" CHECK ("idempotency_keys"."state" <> 'complete' or ("idempotency_keys"."response_status" is not null and "idempotency_keys"."response_body" is not null))
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "payment_link_id" uuid;--> statement-breakpoint
ALTER TABLE "merchant_sessions" ADD CONSTRAINT "merchant_sessions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_links" ADD CONSTRAINT "payment_links_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "merchant_sessions_token_key" ON "merchant_sessions" USING btree ("token");--> statement-breakpoint
CREATE INDEX "merchant_sessions_merchant_idx" ON "merchant_sessions" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "merchant_sessions_expires_idx" ON "merchant_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "payment_links_merchant_idx" ON "payment_links" USING btree ("merchant_id","created_at");--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_payment_link_id_payment_links_id_fk" FOREIGN KEY ("payment_link_id") REFERENCES "public"."payment_links"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "merchant_wallets_key_unique" ON "merchant_wallets" USING btree ("network","extended_public_key");