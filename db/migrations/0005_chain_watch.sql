CREATE TABLE "chain_blocks" (
	"source" text NOT NULL,
	"number" bigint NOT NULL,
	"hash" text NOT NULL,
	"parent_hash" text,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chain_blocks_source_number_pk" PRIMARY KEY("source","number")
);
--> statement-breakpoint
CREATE TABLE "chain_cursors" (
	"source" text PRIMARY KEY NOT NULL,
	"network" "blockchain_network" NOT NULL,
	"last_block" bigint NOT NULL,
	"last_block_hash" text,
	"tip_block" bigint,
	"last_polled_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chain_cursors_last_block_nonnegative" CHECK ("chain_cursors"."last_block" >= 0)
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "block_timestamp" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "chain_blocks_source_hash_idx" ON "chain_blocks" USING btree ("source","hash");