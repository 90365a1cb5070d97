-- The outbox relay (webhooks, notification emails) starts with this release. Events recorded
-- before it are history, not news: mark them published so that upgrading does not send customers
-- emails, or merchants webhooks, about invoices settled long ago.
UPDATE "outbox_events" SET "published_at" = now() WHERE "published_at" IS NULL;
