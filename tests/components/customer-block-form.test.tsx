import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CustomerBlockState } from "@/app/merchant/(dashboard)/customers/actions";
import { CustomerBlockForm } from "@/components/merchant/customer-block-form";

afterEach(cleanup);

type Action = (state: CustomerBlockState, formData: FormData) => Promise<CustomerBlockState>;
const CUSTOMER = "2f1c7a52-8f35-4c57-9d1e-0f3c2b1a9e11";

describe("CustomerBlockForm", () => {
  it("asks for confirmation before blocking, and can be cancelled without sending anything", async () => {
    const action = vi.fn<Action>(async () => ({}));
    render(<CustomerBlockForm action={action} customerId={CUSTOMER} blocked={false} />);
    fireEvent.click(screen.getByRole("button", { name: "Block customer" }));
    expect(screen.getByText(/New invoices for this customer will be refused/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.getByRole("button", { name: "Block customer" })).toBeTruthy();
    expect(action).not.toHaveBeenCalled();
  });

  it("sends the customer id and blocked=true once confirmed, and shows the outcome", async () => {
    const action = vi.fn<Action>(async () => ({ success: "Customer blocked: new invoices for them are refused." }));
    render(<CustomerBlockForm action={action} customerId={CUSTOMER} blocked={false} />);
    fireEvent.click(screen.getByRole("button", { name: "Block customer" }));
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Confirm block" }));
    });
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    const formData = action.mock.calls[0]![1];
    expect(formData.get("customerId")).toBe(CUSTOMER);
    expect(formData.get("blocked")).toBe("true");
    expect((await screen.findByRole("status")).textContent).toMatch(/Customer blocked/);
  });

  it("unblocks in one step with blocked=false, and shows an error in role=alert", async () => {
    const action = vi.fn<Action>(async () => ({ error: "No such customer." }));
    render(<CustomerBlockForm action={action} customerId={CUSTOMER} blocked />);
    expect(screen.queryByRole("button", { name: "Block customer" })).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Unblock customer" }));
    });
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    expect(action.mock.calls[0]![1].get("blocked")).toBe("false");
    expect((await screen.findByRole("alert")).textContent).toBe("No such customer.");
  });
});

describe("CustomerBlockForm after a save", () => {
  it("keeps the outcome when the page re-renders it with the new status, and starts unconfirmed", async () => {
    const action = vi.fn<Action>(async () => ({ success: "Customer blocked: new invoices for them are refused." }));
    const view = render(<CustomerBlockForm action={action} customerId={CUSTOMER} blocked={false} />);
    fireEvent.click(screen.getByRole("button", { name: "Block customer" }));
    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Confirm block" }));
    });
    await screen.findByRole("status");
    // The server action revalidates the page: the form comes back with blocked=true.
    view.rerender(<CustomerBlockForm action={action} customerId={CUSTOMER} blocked />);
    expect(screen.getByRole("status").textContent).toMatch(/Customer blocked/);
    expect(screen.getByRole("button", { name: "Unblock customer" })).toBeTruthy();
    view.rerender(<CustomerBlockForm action={action} customerId={CUSTOMER} blocked={false} />);
    expect(screen.getByRole("button", { name: "Block customer" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Confirm block" })).toBeNull();
  });
});
