-- Invoice immutability (spec: "once created, only status and payments can change"). Status, the
-- exception flag, the amount received, paid_at and updated_at may change; every other column is
-- frozen, and line items cannot be edited at all. Enforced here so no code path can rewrite what a
-- buyer was asked to pay.
CREATE OR REPLACE FUNCTION refuse_invoice_field_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(NEW) - ARRAY['status', 'exception', 'amount_received', 'paid_at', 'updated_at', 'search'])
     IS DISTINCT FROM
     (to_jsonb(OLD) - ARRAY['status', 'exception', 'amount_received', 'paid_at', 'updated_at', 'search']) THEN
    RAISE EXCEPTION 'invoice % is immutable: only its status and payments may change', OLD.id
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_immutable_fields
  BEFORE UPDATE ON invoices
  FOR EACH ROW EXECUTE FUNCTION refuse_invoice_field_change();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refuse_invoice_item_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'invoice items are immutable (% refused)', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_items_immutable
  BEFORE UPDATE ON invoice_items
  FOR EACH ROW EXECUTE FUNCTION refuse_invoice_item_update();
