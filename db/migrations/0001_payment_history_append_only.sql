-- PaymentHistory is append-only (spec: History Immutability). Enforced in the database so that no
-- code path, however buggy, can rewrite a customer's history.
CREATE OR REPLACE FUNCTION refuse_payment_history_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'customer_payment_history is append-only (% refused)', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER customer_payment_history_append_only
  BEFORE UPDATE OR DELETE ON customer_payment_history
  FOR EACH ROW EXECUTE FUNCTION refuse_payment_history_change();
