ALTER TABLE "outbox_events" ADD COLUMN "sequence" bigserial NOT NULL;--> statement-breakpoint
CREATE INDEX "invoices_network_watch_idx" ON "invoices" USING btree ("network","livemode","expires_at");