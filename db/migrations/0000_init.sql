CREATE TYPE "public"."crypto_currency" AS ENUM('BTC', 'ETH', 'USDT');--> statement-breakpoint
CREATE TYPE "public"."fiat_currency" AS ENUM('USD', 'EUR', 'CNY');--> statement-breakpoint
CREATE TYPE "public"."blockchain_network" AS ENUM('bitcoin', 'ethereum', 'tron');--> statement-breakpoint
CREATE TYPE "public"."account_status" AS ENUM('AVAILABLE', 'MAINTENANCE', 'SOLD');--> statement-breakpoint
CREATE TYPE "public"."claude_model" AS ENUM('claude-4.0-opus-4-v1', 'claude-4.0-sonnet-4-v1', 'claude-3.7-sonnet-v1', 'claude-3.5-sonnet-v2', 'claude-3.5-sonnet', 'claude-3.5-haiku');--> statement-breakpoint
CREATE TYPE "public"."quota_level" AS ENUM('HIGH', 'MEDIUM', 'LOW');--> statement-breakpoint
CREATE TYPE "public"."api_key_status" AS ENUM('active', 'revoked', 'expired');--> statement-breakpoint
CREATE TYPE "public"."api_key_type" AS ENUM('live', 'test');--> statement-breakpoint
CREATE TYPE "public"."retry_backoff" AS ENUM('linear', 'exponential');--> statement-breakpoint
CREATE TYPE "public"."webhook_endpoint_status" AS ENUM('active', 'disabled', 'failed');--> statement-breakpoint
CREATE TYPE "public"."merchant_status" AS ENUM('active', 'suspended', 'pending_verification', 'closed');--> statement-breakpoint
CREATE TYPE "public"."overpayment_action" AS ENUM('credit', 'refund', 'donate');--> statement-breakpoint
CREATE TYPE "public"."plan_type" AS ENUM('free', 'pro', 'enterprise');--> statement-breakpoint
CREATE TYPE "public"."customer_status" AS ENUM('active', 'blocked', 'inactive');--> statement-breakpoint
CREATE TYPE "public"."payment_history_status" AS ENUM('paid', 'cancelled', 'expired');--> statement-breakpoint
CREATE TYPE "public"."audit_actor" AS ENUM('api_key', 'system', 'customer', 'merchant', 'admin');--> statement-breakpoint
CREATE TYPE "public"."invoice_exception" AS ENUM('none', 'underpaid', 'overpaid', 'paid_late');--> statement-breakpoint
CREATE TYPE "public"."invoice_status" AS ENUM('pending', 'partial', 'confirming', 'paid', 'expired', 'cancelled', 'refunded');--> statement-breakpoint
CREATE TYPE "public"."payment_status" AS ENUM('detected', 'confirming', 'confirmed', 'orphaned', 'failed');--> statement-breakpoint
CREATE TYPE "public"."notification_delivery_status" AS ENUM('pending', 'sent', 'failed');--> statement-breakpoint
CREATE TYPE "public"."notification_event" AS ENUM('invoice_created', 'payment_detected', 'payment_confirmed', 'payment_failed', 'invoice_paid', 'invoice_expired', 'invoice_cancelled', 'merchant_suspended', 'webhook_endpoint_failed');--> statement-breakpoint
CREATE TYPE "public"."notification_recipient" AS ENUM('customer', 'merchant');--> statement-breakpoint
CREATE TYPE "public"."webhook_delivery_status" AS ENUM('pending', 'delivering', 'succeeded', 'failed');--> statement-breakpoint
CREATE TYPE "public"."forwarding_status" AS ENUM('pending', 'broadcast', 'confirmed', 'failed');--> statement-breakpoint
CREATE TYPE "public"."hot_wallet_status" AS ENUM('active', 'paused', 'retired');--> statement-breakpoint
CREATE TYPE "public"."refill_status" AS ENUM('requested', 'approved', 'fulfilled', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."wallet_tx_direction" AS ENUM('inbound', 'outbound');--> statement-breakpoint
CREATE TYPE "public"."wallet_tx_status" AS ENUM('pending', 'confirmed', 'failed');--> statement-breakpoint
CREATE TABLE "admin_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"admin_id" uuid NOT NULL,
	"token" text NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admin_sessions_expiry_after_creation" CHECK ("admin_sessions"."expires_at" > "admin_sessions"."created_at")
);
--> statement-breakpoint
CREATE TABLE "admins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"last_login" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admins_password_hash_argon2id" CHECK ("admins"."password_hash" like '$argon2id$%')
);
--> statement-breakpoint
CREATE TABLE "sign_in_throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	CONSTRAINT "sign_in_throttles_failures_nonnegative" CHECK ("sign_in_throttles"."failures" >= 0)
);
--> statement-breakpoint
CREATE TABLE "account_model_quotas" (
	"account_id" uuid NOT NULL,
	"model" "claude_model" NOT NULL,
	"rpm" integer NOT NULL,
	"tpm" bigint NOT NULL,
	"tpd" bigint NOT NULL,
	"available" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "account_model_quotas_account_id_model_pk" PRIMARY KEY("account_id","model"),
	CONSTRAINT "account_model_quotas_nonnegative" CHECK ("account_model_quotas"."rpm" >= 0 and "account_model_quotas"."tpm" >= 0 and "account_model_quotas"."tpd" >= 0)
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"display_name" text NOT NULL,
	"status" "account_status" DEFAULT 'MAINTENANCE' NOT NULL,
	"price_minor" bigint NOT NULL,
	"price_currency" "fiat_currency" DEFAULT 'USD' NOT NULL,
	"instructions" text DEFAULT '' NOT NULL,
	"features" text[] DEFAULT '{}'::text[] NOT NULL,
	"limitations" text[] DEFAULT '{}'::text[] NOT NULL,
	"regions" text[] DEFAULT '{}'::text[] NOT NULL,
	"credentials_ciphertext" text,
	"wrapped_data_key" text,
	"credentials_key_id" text,
	"access_key_last4" text,
	"quota_level" "quota_level" DEFAULT 'LOW' NOT NULL,
	"quota_updated_at" timestamp with time zone,
	"quota_error" text,
	"quota_error_at" timestamp with time zone,
	"needs_review" boolean DEFAULT false NOT NULL,
	"suggested_price_minor" bigint,
	"sold_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', coalesce("accounts"."name", '') || ' ' || coalesce("accounts"."display_name", '') || ' ' || coalesce("accounts"."instructions", ''))) STORED,
	CONSTRAINT "accounts_name_length" CHECK (char_length("accounts"."name") between 1 and 120),
	CONSTRAINT "accounts_display_name_length" CHECK (char_length("accounts"."display_name") between 1 and 200),
	CONSTRAINT "accounts_price_positive" CHECK ("accounts"."price_minor" > 0),
	CONSTRAINT "accounts_credentials_complete" CHECK (("accounts"."credentials_ciphertext" is null) = ("accounts"."wrapped_data_key" is null) and ("accounts"."credentials_ciphertext" is null) = ("accounts"."credentials_key_id" is null)),
	CONSTRAINT "accounts_sold_at_when_sold" CHECK ("accounts"."status" <> 'SOLD' or "accounts"."sold_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"key_type" "api_key_type" NOT NULL,
	"permissions" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" "api_key_status" DEFAULT 'active' NOT NULL,
	"name" text,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_name_length" CHECK ("api_keys"."name" is null or char_length("api_keys"."name") between 1 and 100),
	CONSTRAINT "api_keys_key_hash_format" CHECK ("api_keys"."key_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "merchant_payout_settings" (
	"merchant_id" uuid PRIMARY KEY NOT NULL,
	"underpayment_threshold_bps" integer DEFAULT 50 NOT NULL,
	"overpayment_threshold_bps" integer DEFAULT 100 NOT NULL,
	"overpayment_action" "overpayment_action" DEFAULT 'credit' NOT NULL,
	"invoice_expiry_minutes" integer DEFAULT 30 NOT NULL,
	"partial_payment_grace_minutes" integer DEFAULT 15 NOT NULL,
	"redirect_url" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payout_underpayment_range" CHECK ("merchant_payout_settings"."underpayment_threshold_bps" between 0 and 100),
	CONSTRAINT "payout_overpayment_range" CHECK ("merchant_payout_settings"."overpayment_threshold_bps" between 0 and 10000),
	CONSTRAINT "payout_expiry_range" CHECK ("merchant_payout_settings"."invoice_expiry_minutes" between 5 and 10080),
	CONSTRAINT "payout_grace_range" CHECK ("merchant_payout_settings"."partial_payment_grace_minutes" between 0 and 1440)
);
--> statement-breakpoint
CREATE TABLE "merchant_wallets" (
	"merchant_id" uuid NOT NULL,
	"network" "blockchain_network" NOT NULL,
	"mode" text NOT NULL,
	"extended_public_key" text NOT NULL,
	"payout_address" text,
	"next_index" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchant_wallets_merchant_id_network_mode_pk" PRIMARY KEY("merchant_id","network","mode"),
	CONSTRAINT "merchant_wallets_next_index_nonnegative" CHECK ("merchant_wallets"."next_index" >= 0)
);
--> statement-breakpoint
CREATE TABLE "merchants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"business_name" text NOT NULL,
	"contact_email" text NOT NULL,
	"password_hash" text,
	"status" "merchant_status" DEFAULT 'pending_verification' NOT NULL,
	"plan_type" "plan_type" DEFAULT 'free' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchants_business_name_length" CHECK (char_length("merchants"."business_name") between 2 and 255),
	CONSTRAINT "merchants_contact_email_format" CHECK ("merchants"."contact_email" ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$')
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"url" text NOT NULL,
	"events" text[] DEFAULT '{}'::text[] NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"secret_last4" text NOT NULL,
	"status" "webhook_endpoint_status" DEFAULT 'active' NOT NULL,
	"max_retries" integer DEFAULT 5 NOT NULL,
	"retry_backoff" "retry_backoff" DEFAULT 'exponential' NOT NULL,
	"timeout_seconds" integer DEFAULT 10 NOT NULL,
	"allowed_ips" text[] DEFAULT '{}'::text[] NOT NULL,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoints_max_retries_range" CHECK ("webhook_endpoints"."max_retries" between 1 and 10),
	CONSTRAINT "webhook_endpoints_timeout_range" CHECK ("webhook_endpoints"."timeout_seconds" between 5 and 60),
	CONSTRAINT "webhook_endpoints_url_scheme" CHECK ("webhook_endpoints"."url" ~ '^https?://')
);
--> statement-breakpoint
CREATE TABLE "customer_payment_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" "fiat_currency" NOT NULL,
	"status" "payment_history_status" NOT NULL,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_payment_history_amount_positive" CHECK ("customer_payment_history"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"email" text NOT NULL,
	"status" "customer_status" DEFAULT 'active' NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone,
	CONSTRAINT "customers_email_format" CHECK ("customers"."email" ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$')
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid,
	"invoice_id" uuid,
	"event" text NOT NULL,
	"actor_type" "audit_actor" NOT NULL,
	"actor_id" text,
	"ip_address" text,
	"user_agent" text,
	"request_id" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_entries_event_format" CHECK ("audit_entries"."event" ~ '^[a-z][a-z0-9_.]*$')
);
--> statement-breakpoint
CREATE TABLE "invoice_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"description" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"amount_minor" bigint NOT NULL,
	CONSTRAINT "invoice_items_description_length" CHECK (char_length("invoice_items"."description") between 1 and 500),
	CONSTRAINT "invoice_items_quantity_positive" CHECK ("invoice_items"."quantity" > 0),
	CONSTRAINT "invoice_items_unit_price_positive" CHECK ("invoice_items"."unit_price_minor" > 0),
	CONSTRAINT "invoice_items_amount" CHECK ("invoice_items"."amount_minor" = "invoice_items"."quantity" * "invoice_items"."unit_price_minor")
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"customer_id" uuid,
	"livemode" boolean DEFAULT true NOT NULL,
	"reference" text,
	"title" text NOT NULL,
	"description" text,
	"status" "invoice_status" DEFAULT 'pending' NOT NULL,
	"exception" "invoice_exception" DEFAULT 'none' NOT NULL,
	"fiat_currency" "fiat_currency" NOT NULL,
	"subtotal_minor" bigint NOT NULL,
	"tax_minor" bigint DEFAULT 0 NOT NULL,
	"total_minor" bigint NOT NULL,
	"crypto_currency" "crypto_currency" NOT NULL,
	"network" "blockchain_network" NOT NULL,
	"crypto_amount" numeric(78, 0) NOT NULL,
	"amount_received" numeric(78, 0) DEFAULT 0 NOT NULL,
	"exchange_rate_id" uuid NOT NULL,
	"payment_address" text NOT NULL,
	"derivation_index" integer,
	"address_generated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"underpayment_threshold_bps" integer NOT NULL,
	"overpayment_threshold_bps" integer NOT NULL,
	"overpayment_action" "overpayment_action" NOT NULL,
	"required_confirmations" integer NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"redirect_url" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', coalesce("invoices"."title", '') || ' ' || coalesce("invoices"."description", '') || ' ' || coalesce("invoices"."reference", ''))) STORED,
	CONSTRAINT "invoices_title_length" CHECK (char_length("invoices"."title") between 1 and 255),
	CONSTRAINT "invoices_description_length" CHECK ("invoices"."description" is null or char_length("invoices"."description") <= 1000),
	CONSTRAINT "invoices_subtotal_positive" CHECK ("invoices"."subtotal_minor" > 0),
	CONSTRAINT "invoices_tax_nonnegative" CHECK ("invoices"."tax_minor" >= 0),
	CONSTRAINT "invoices_total_is_subtotal_plus_tax" CHECK ("invoices"."total_minor" = "invoices"."subtotal_minor" + "invoices"."tax_minor"),
	CONSTRAINT "invoices_crypto_amount_positive" CHECK ("invoices"."crypto_amount" > 0),
	CONSTRAINT "invoices_amount_received_nonnegative" CHECK ("invoices"."amount_received" >= 0),
	CONSTRAINT "invoices_underpayment_range" CHECK ("invoices"."underpayment_threshold_bps" between 0 and 100),
	CONSTRAINT "invoices_overpayment_range" CHECK ("invoices"."overpayment_threshold_bps" between 0 and 10000),
	CONSTRAINT "invoices_required_confirmations_nonnegative" CHECK ("invoices"."required_confirmations" >= 0),
	CONSTRAINT "invoices_expires_after_created" CHECK ("invoices"."expires_at" > "invoices"."created_at"),
	CONSTRAINT "invoices_currency_network" CHECK (("invoices"."crypto_currency" = 'BTC' and "invoices"."network" = 'bitcoin') or ("invoices"."crypto_currency" = 'ETH' and "invoices"."network" = 'ethereum') or ("invoices"."crypto_currency" = 'USDT' and "invoices"."network" in ('ethereum', 'tron'))),
	CONSTRAINT "invoices_paid_at_when_paid" CHECK ("invoices"."status" not in ('paid', 'refunded') or "invoices"."paid_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"network" "blockchain_network" NOT NULL,
	"tx_hash" text NOT NULL,
	"output_index" integer NOT NULL,
	"asset" "crypto_currency" NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"from_address" text,
	"to_address" text NOT NULL,
	"status" "payment_status" DEFAULT 'detected' NOT NULL,
	"confirmations" integer DEFAULT 0 NOT NULL,
	"required_confirmations" integer NOT NULL,
	"block_number" bigint,
	"block_hash" text,
	"network_fee" numeric(78, 0),
	"failure_reason" text,
	"hot_wallet_id" uuid,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_amount_positive" CHECK ("payments"."amount" > 0),
	CONSTRAINT "payments_confirmations_nonnegative" CHECK ("payments"."confirmations" >= 0),
	CONSTRAINT "payments_required_confirmations_nonnegative" CHECK ("payments"."required_confirmations" >= 0),
	CONSTRAINT "payments_output_index_nonnegative" CHECK ("payments"."output_index" >= 0),
	CONSTRAINT "payments_block_number_positive" CHECK ("payments"."block_number" is null or "payments"."block_number" > 0),
	CONSTRAINT "payments_network_fee_positive" CHECK ("payments"."network_fee" is null or "payments"."network_fee" > 0),
	CONSTRAINT "payments_confirmed_at_when_confirmed" CHECK ("payments"."status" <> 'confirmed' or "payments"."confirmed_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "exchange_rates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"from_currency" "fiat_currency" NOT NULL,
	"to_currency" "crypto_currency" NOT NULL,
	"rate" numeric(38, 18) NOT NULL,
	"source" text NOT NULL,
	"locked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "exchange_rates_rate_positive" CHECK ("exchange_rates"."rate" > 0),
	CONSTRAINT "exchange_rates_expiry_after_lock" CHECK ("exchange_rates"."expires_at" > "exchange_rates"."locked_at")
);
--> statement-breakpoint
CREATE TABLE "system_configuration" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"exchange_rate_providers" jsonb NOT NULL,
	"blockchain_networks" jsonb NOT NULL,
	"payment_settings" jsonb NOT NULL,
	"security_settings" jsonb NOT NULL,
	"feature_flags" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "system_configuration_min_provider" CHECK (jsonb_array_length("system_configuration"."exchange_rate_providers") >= 1),
	CONSTRAINT "system_configuration_min_network" CHECK (jsonb_array_length("system_configuration"."blockchain_networks") >= 1)
);
--> statement-breakpoint
CREATE TABLE "merchant_analytics" (
	"merchant_id" uuid NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"metrics" jsonb NOT NULL,
	"time_series_data" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"generated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "merchant_analytics_merchant_id_period_start_period_end_pk" PRIMARY KEY("merchant_id","period_start","period_end"),
	CONSTRAINT "merchant_analytics_period_order" CHECK ("merchant_analytics"."period_start" < "merchant_analytics"."period_end")
);
--> statement-breakpoint
CREATE TABLE "notification_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"template_id" uuid,
	"merchant_id" uuid NOT NULL,
	"event_id" uuid,
	"channel" text DEFAULT 'email' NOT NULL,
	"recipient_address" text NOT NULL,
	"subject" text NOT NULL,
	"status" "notification_delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"provider_message_id" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_deliveries_attempts_nonnegative" CHECK ("notification_deliveries"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "notification_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"event_type" "notification_event" NOT NULL,
	"recipient" "notification_recipient" DEFAULT 'customer' NOT NULL,
	"subject" text NOT NULL,
	"body_template" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_templates_subject_length" CHECK (char_length("notification_templates"."subject") between 1 and 255),
	CONSTRAINT "notification_templates_body_length" CHECK (char_length("notification_templates"."body_template") between 1 and 20000)
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"invoice_id" uuid,
	"event_type" text NOT NULL,
	"status" "webhook_delivery_status" DEFAULT 'pending' NOT NULL,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status_code" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "webhook_deliveries_attempts_nonnegative" CHECK ("webhook_deliveries"."attempt_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "webhook_delivery_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_code" integer,
	"latency_ms" integer,
	"response_body" text,
	"error" text,
	CONSTRAINT "webhook_delivery_attempts_latency_nonnegative" CHECK ("webhook_delivery_attempts"."latency_ms" is null or "webhook_delivery_attempts"."latency_ms" >= 0)
);
--> statement-breakpoint
CREATE TABLE "forwarding_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"hot_wallet_id" uuid,
	"destination_address" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"tx_hash" text,
	"status" "forwarding_status" DEFAULT 'pending' NOT NULL,
	"error" text,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "forwarding_attempts_amount_positive" CHECK ("forwarding_attempts"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "hot_wallets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"network" "blockchain_network" NOT NULL,
	"asset" "crypto_currency" NOT NULL,
	"address" text NOT NULL,
	"label" text NOT NULL,
	"status" "hot_wallet_status" DEFAULT 'active' NOT NULL,
	"balance" numeric(78, 0) DEFAULT 0 NOT NULL,
	"low_balance_threshold" numeric(78, 0) DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hot_wallets_balance_nonnegative" CHECK ("hot_wallets"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "refill_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hot_wallet_id" uuid NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"status" "refill_status" DEFAULT 'requested' NOT NULL,
	"reason" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "refill_requests_amount_positive" CHECK ("refill_requests"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "wallet_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hot_wallet_id" uuid NOT NULL,
	"payment_id" uuid,
	"direction" "wallet_tx_direction" NOT NULL,
	"tx_hash" text,
	"amount" numeric(78, 0) NOT NULL,
	"fee" numeric(78, 0),
	"status" "wallet_tx_status" DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "wallet_transactions_amount_positive" CHECK ("wallet_transactions"."amount" > 0),
	CONSTRAINT "wallet_transactions_fee_positive" CHECK ("wallet_transactions"."fee" is null or "wallet_transactions"."fee" > 0)
);
--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" text NOT NULL,
	"event_type" text NOT NULL,
	"merchant_id" uuid,
	"actor_type" text,
	"actor_id" text,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "outbox_events_event_type_format" CHECK ("outbox_events"."event_type" ~ '^[A-Z][A-Za-z]+$'),
	CONSTRAINT "outbox_events_attempts_nonnegative" CHECK ("outbox_events"."attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_admin_id_admins_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."admins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_model_quotas" ADD CONSTRAINT "account_model_quotas_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchant_payout_settings" ADD CONSTRAINT "merchant_payout_settings_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchant_wallets" ADD CONSTRAINT "merchant_wallets_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_payment_history" ADD CONSTRAINT "customer_payment_history_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_payment_history" ADD CONSTRAINT "customer_payment_history_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_items" ADD CONSTRAINT "invoice_items_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_exchange_rate_id_exchange_rates_id_fk" FOREIGN KEY ("exchange_rate_id") REFERENCES "public"."exchange_rates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_hot_wallet_id_hot_wallets_id_fk" FOREIGN KEY ("hot_wallet_id") REFERENCES "public"."hot_wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchant_analytics" ADD CONSTRAINT "merchant_analytics_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_template_id_notification_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."notification_templates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_event_id_outbox_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outbox_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_templates" ADD CONSTRAINT "notification_templates_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_event_id_outbox_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outbox_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forwarding_attempts" ADD CONSTRAINT "forwarding_attempts_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forwarding_attempts" ADD CONSTRAINT "forwarding_attempts_hot_wallet_id_hot_wallets_id_fk" FOREIGN KEY ("hot_wallet_id") REFERENCES "public"."hot_wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refill_requests" ADD CONSTRAINT "refill_requests_hot_wallet_id_hot_wallets_id_fk" FOREIGN KEY ("hot_wallet_id") REFERENCES "public"."hot_wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_transactions" ADD CONSTRAINT "wallet_transactions_hot_wallet_id_hot_wallets_id_fk" FOREIGN KEY ("hot_wallet_id") REFERENCES "public"."hot_wallets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_transactions" ADD CONSTRAINT "wallet_transactions_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "admin_sessions_token_key" ON "admin_sessions" USING btree ("token");--> statement-breakpoint
CREATE INDEX "admin_sessions_admin_idx" ON "admin_sessions" USING btree ("admin_id");--> statement-breakpoint
CREATE INDEX "admin_sessions_expires_idx" ON "admin_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "admins_username_key" ON "admins" USING btree (lower("username"));--> statement-breakpoint
CREATE INDEX "account_model_quotas_model_idx" ON "account_model_quotas" USING btree ("model","tpm");--> statement-breakpoint
CREATE INDEX "accounts_status_price_idx" ON "accounts" USING btree ("status","price_minor");--> statement-breakpoint
CREATE INDEX "accounts_level_idx" ON "accounts" USING btree ("quota_level","status");--> statement-breakpoint
CREATE INDEX "accounts_created_idx" ON "accounts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "accounts_search_idx" ON "accounts" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_merchant_idx" ON "api_keys" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "merchants_contact_email_key" ON "merchants" USING btree (lower("contact_email"));--> statement-breakpoint
CREATE INDEX "webhook_endpoints_merchant_idx" ON "webhook_endpoints" USING btree ("merchant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_payment_history_invoice_key" ON "customer_payment_history" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "customer_payment_history_customer_idx" ON "customer_payment_history" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_merchant_email_key" ON "customers" USING btree ("merchant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "customers_merchant_created_idx" ON "customers" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_entries_invoice_idx" ON "audit_entries" USING btree ("invoice_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_entries_merchant_idx" ON "audit_entries" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_items_invoice_position_key" ON "invoice_items" USING btree ("invoice_id","position");--> statement-breakpoint
CREATE INDEX "invoices_merchant_created_idx" ON "invoices" USING btree ("merchant_id","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "invoices_merchant_status_created_idx" ON "invoices" USING btree ("merchant_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "invoices_merchant_paid_idx" ON "invoices" USING btree ("merchant_id","paid_at") WHERE "invoices"."paid_at" is not null;--> statement-breakpoint
CREATE INDEX "invoices_customer_idx" ON "invoices" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "invoices_open_expiry_idx" ON "invoices" USING btree ("expires_at") WHERE "invoices"."status" in ('pending', 'partial', 'confirming');--> statement-breakpoint
CREATE INDEX "invoices_search_idx" ON "invoices" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_network_address_key" ON "invoices" USING btree ("network","payment_address");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_transfer_key" ON "payments" USING btree ("network","tx_hash","output_index");--> statement-breakpoint
CREATE INDEX "payments_invoice_idx" ON "payments" USING btree ("invoice_id","detected_at");--> statement-breakpoint
CREATE INDEX "payments_open_idx" ON "payments" USING btree ("network","status") WHERE "payments"."status" in ('detected', 'confirming', 'orphaned');--> statement-breakpoint
CREATE INDEX "payments_detected_at_brin" ON "payments" USING brin ("detected_at");--> statement-breakpoint
CREATE INDEX "exchange_rates_pair_locked_idx" ON "exchange_rates" USING btree ("from_currency","to_currency","locked_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_event_recipient_key" ON "notification_deliveries" USING btree ("event_id","template_id","recipient_address");--> statement-breakpoint
CREATE INDEX "notification_deliveries_merchant_idx" ON "notification_deliveries" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries" USING btree ("next_attempt_at") WHERE "notification_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "notification_templates_merchant_event_key" ON "notification_templates" USING btree ("merchant_id","event_type","recipient");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_endpoint_event_key" ON "webhook_deliveries" USING btree ("endpoint_id","event_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" in ('pending', 'delivering');--> statement-breakpoint
CREATE INDEX "webhook_deliveries_invoice_idx" ON "webhook_deliveries" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "webhook_delivery_attempts_delivery_idx" ON "webhook_delivery_attempts" USING btree ("delivery_id","attempted_at");--> statement-breakpoint
CREATE INDEX "forwarding_attempts_payment_idx" ON "forwarding_attempts" USING btree ("payment_id","attempted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "hot_wallets_network_address_asset_key" ON "hot_wallets" USING btree ("network","address","asset");--> statement-breakpoint
CREATE INDEX "refill_requests_wallet_idx" ON "refill_requests" USING btree ("hot_wallet_id","requested_at");--> statement-breakpoint
CREATE INDEX "wallet_transactions_wallet_idx" ON "wallet_transactions" USING btree ("hot_wallet_id","created_at");--> statement-breakpoint
CREATE INDEX "wallet_transactions_payment_idx" ON "wallet_transactions" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "outbox_events_unpublished_idx" ON "outbox_events" USING btree ("occurred_at") WHERE "outbox_events"."published_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_events_aggregate_idx" ON "outbox_events" USING btree ("aggregate_type","aggregate_id","occurred_at");--> statement-breakpoint
CREATE INDEX "outbox_events_merchant_idx" ON "outbox_events" USING btree ("merchant_id","occurred_at");