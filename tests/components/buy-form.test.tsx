import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { BuyFormState } from "@/app/accounts/[accountId]/actions";
import { BuyForm } from "@/components/store/buy-form";

afterEach(cleanup);

type Action = (state: BuyFormState, formData: FormData) => Promise<BuyFormState>;

const OPTIONS = [
  { value: "USDT:ethereum", label: "USDT on Ethereum (test network)" },
  { value: "USDT:tron", label: "USDT on Tron (test network)" },
];

function setup(result: BuyFormState | (() => Promise<BuyFormState>)) {
  const action = vi.fn<Action>(async () => (typeof result === "function" ? result() : result));
  render(<BuyForm action={action} accountId="6f1c1e8e-0b7c-4f0e-9d1a-3c2b1a0f9e8d" options={OPTIONS} />);
  const button = screen.getByRole("button", { name: "Buy with crypto" }) as HTMLButtonElement;
  return { action, button };
}

async function submit(button: HTMLButtonElement) {
  await act(async () => {
    fireEvent.click(button);
  });
}

describe("BuyForm", () => {
  it("offers the store's coins and sends the choice, the email and the account to the action", async () => {
    const { action, button } = setup({});
    const payWith = screen.getByLabelText("Pay with") as HTMLSelectElement;
    expect(Array.from(payWith.options).map((o) => o.text)).toEqual(OPTIONS.map((o) => o.label));
    fireEvent.change(payWith, { target: { value: "USDT:tron" } });
    fireEvent.change(screen.getByLabelText("Email for your order link (optional)"), { target: { value: "me@example.com" } });
    await submit(button);
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    const formData = action.mock.calls[0]![1];
    expect(formData.get("payWith")).toBe("USDT:tron");
    expect(formData.get("email")).toBe("me@example.com");
    expect(formData.get("accountId")).toBe("6f1c1e8e-0b7c-4f0e-9d1a-3c2b1a0f9e8d");
  });

  it("shows the pending state while the account is being reserved", async () => {
    let finish: (state: BuyFormState) => void = () => {};
    const { button } = setup(() => new Promise<BuyFormState>((resolve) => (finish = resolve)));
    await submit(button);
    const pending = (await screen.findByRole("button", { name: "Reserving the account…" })) as HTMLButtonElement;
    expect(pending.disabled).toBe(true);
    await act(async () => finish({}));
    const idle = (await screen.findByRole("button", { name: "Buy with crypto" })) as HTMLButtonElement;
    expect(idle.disabled).toBe(false);
  });

  it("says plainly when another buyer just reserved the account, and lets the buyer try again later", async () => {
    const { button } = setup({ error: "Another buyer has just reserved this account.", blocked: "just_reserved" });
    await submit(button);
    expect((await screen.findByRole("alert")).textContent).toBe("Another buyer has just reserved this account.");
    expect((screen.getByRole("button", { name: "Buy with crypto" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("disables Buy when the account is no longer available", async () => {
    const { button } = setup({ error: "This account is no longer available.", blocked: "unavailable" });
    await submit(button);
    expect((await screen.findByRole("alert")).textContent).toBe("This account is no longer available.");
    expect((screen.getByRole("button", { name: "Buy with crypto" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("names the field at fault and keeps what the buyer typed", async () => {
    const { button } = setup({ fieldErrors: { email: "Enter a valid email address, or leave it empty." }, email: "nope", payWith: "USDT:tron" });
    await submit(button);
    const message = await screen.findByText("Enter a valid email address, or leave it empty.");
    const email = screen.getByLabelText("Email for your order link (optional)") as HTMLInputElement;
    expect(email.getAttribute("aria-invalid")).toBe("true");
    expect(email.getAttribute("aria-describedby")).toContain(message.id);
    expect(email.value).toBe("nope");
    expect((screen.getByLabelText("Pay with") as HTMLSelectElement).value).toBe("USDT:tron");
  });
});
