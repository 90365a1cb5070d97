import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { InvoiceCancelForm } from "@/components/merchant/invoice-cancel-form";
import type { CancelFormState } from "@/lib/invoices/dashboard-cancel";

afterEach(cleanup);

const INVOICE_ID = "6f1c1e8e-0b7c-4f0e-9d1a-3c2b1a0f9e8d";
type Action = (state: CancelFormState, formData: FormData) => Promise<CancelFormState>;

function setup(result: CancelFormState) {
  const action = vi.fn<Action>(async () => result);
  render(<InvoiceCancelForm invoiceId={INVOICE_ID} action={action} />);
  return action;
}

async function click(name: string | RegExp) {
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name }));
  });
}

describe("InvoiceCancelForm", () => {
  it("opens a confirm step first and sends nothing until it is submitted", async () => {
    const action = setup({});
    expect(screen.queryByRole("checkbox")).toBeNull();
    await click("Cancel invoice");
    expect(action).not.toHaveBeenCalled();
    expect(screen.getByRole("checkbox", { name: "Yes, cancel this invoice" })).toBeTruthy();
    await click("Keep it");
    expect(screen.queryByRole("checkbox")).toBeNull();
    expect(action).not.toHaveBeenCalled();
  });

  it("sends the invoice, the confirmation and the reason, then shows the outcome", async () => {
    const action = setup({ success: "Invoice cancelled." });
    await click("Cancel invoice");
    fireEvent.change(screen.getByLabelText("Reason (optional)"), { target: { value: "duplicate order" } });
    fireEvent.click(screen.getByRole("checkbox"));
    await click("Cancel invoice");
    expect(action).toHaveBeenCalledTimes(1);
    const form = action.mock.calls[0]![1];
    expect(Object.fromEntries(form.entries())).toEqual({ invoiceId: INVOICE_ID, reason: "duplicate order", confirm: "yes" });
    expect(screen.getByRole("status").textContent).toBe("Invoice cancelled.");
    expect(screen.queryByRole("button", { name: "Cancel invoice" })).toBeNull();
  });

  it("shows a refusal and a missing confirmation next to the field", async () => {
    const action = setup({ error: "This invoice is paid and can no longer be cancelled.", fieldErrors: { confirm: "Tick the box to confirm the cancellation." } });
    await click("Cancel invoice");
    await click("Cancel invoice");
    expect(action).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("alert").textContent).toMatch(/paid and can no longer be cancelled/);
    const box = screen.getByRole("checkbox");
    expect(box.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(box.getAttribute("aria-describedby")!)?.textContent).toBe("Tick the box to confirm the cancellation.");
  });
});
