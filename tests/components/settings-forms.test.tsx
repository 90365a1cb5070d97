import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SettingsFormState } from "@/app/merchant/(dashboard)/settings/actions";
import { bpsToPercent, SettingsPaymentForm } from "@/components/merchant/settings-payment-form";
import { SettingsPayoutForm } from "@/components/merchant/settings-payout-form";
import { SettingsProfileForm } from "@/components/merchant/settings-profile-form";

afterEach(cleanup);

type Action = (state: SettingsFormState, formData: FormData) => Promise<SettingsFormState>;
const actionReturning = (result: SettingsFormState) => vi.fn<Action>(async () => result);
const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

async function submit(name: RegExp) {
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name }));
  });
}

describe("bpsToPercent", () => {
  it.each([
    [0, "0.00"],
    [5, "0.05"],
    [50, "0.50"],
    [100, "1.00"],
    [1250, "12.50"],
    [10000, "100.00"],
  ])("%i bps is %s %%", (bps, text) => expect(bpsToPercent(bps)).toBe(text));
});

describe("SettingsPaymentForm", () => {
  const initial = { underpaymentThresholdBps: 75, overpaymentThresholdBps: 1250, overpaymentAction: "refund", invoiceExpiryMinutes: 90 };

  it("shows the stored values as percentages and minutes", () => {
    render(<SettingsPaymentForm action={actionReturning({})} initial={initial} />);
    expect(input("Underpayment tolerance (%)").value).toBe("0.75");
    expect(input("Overpayment tolerance (%)").value).toBe("12.50");
    expect((screen.getByLabelText("Overpayment action") as HTMLSelectElement).value).toBe("refund");
    expect(input("Invoice expiry (minutes)").value).toBe("90");
  });

  it("submits the fields under the names the action reads", async () => {
    const action = actionReturning({ success: "Payment defaults saved." });
    render(<SettingsPaymentForm action={action} initial={initial} />);
    fireEvent.change(input("Invoice expiry (minutes)"), { target: { value: "45" } });
    await submit(/save payment defaults/i);
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    const formData = action.mock.calls[0]![1];
    expect(Object.fromEntries(["underpaymentPercent", "overpaymentPercent", "overpaymentAction", "invoiceExpiryMinutes"].map((k) => [k, formData.get(k)]))).toEqual({
      underpaymentPercent: "0.75",
      overpaymentPercent: "12.50",
      overpaymentAction: "refund",
      invoiceExpiryMinutes: "45",
    });
    expect((await screen.findByRole("status")).textContent).toBe("Payment defaults saved.");
  });

  it("marks only the named field invalid and keeps what was typed", async () => {
    const values = { underpaymentPercent: "1.5", overpaymentPercent: "12.50", overpaymentAction: "refund", invoiceExpiryMinutes: "90" };
    render(<SettingsPaymentForm action={actionReturning({ fieldErrors: { underpaymentPercent: "Underpayment tolerance must be between 0 and 1.00 %." }, values })} initial={initial} />);
    await submit(/save payment defaults/i);
    const message = await screen.findByText("Underpayment tolerance must be between 0 and 1.00 %.");
    expect(input("Underpayment tolerance (%)").getAttribute("aria-invalid")).toBe("true");
    expect(input("Underpayment tolerance (%)").getAttribute("aria-describedby")).toContain(message.id);
    expect(input("Underpayment tolerance (%)").value).toBe("1.5");
    expect(input("Invoice expiry (minutes)").getAttribute("aria-invalid")).toBeNull();
  });
});

describe("SettingsProfileForm", () => {
  const initial = { businessName: "Roastery", contactEmail: "owner@roastery.example", redirectUrl: "https://roastery.example/thanks" };

  it("asks for the current password only once the sign-in email is edited", async () => {
    render(<SettingsProfileForm action={actionReturning({})} initial={initial} />);
    expect(input("Default redirect URL").value).toBe("https://roastery.example/thanks");
    expect(screen.queryByLabelText("Current password")).toBeNull();
    fireEvent.change(input("Contact email"), { target: { value: "OWNER@roastery.example" } });
    expect(screen.queryByLabelText("Current password")).toBeNull(); // same address, other case
    fireEvent.change(input("Contact email"), { target: { value: "new@roastery.example" } });
    expect(input("Current password").type).toBe("password");
    expect(input("Current password").autocomplete).toBe("current-password");
  });

  it("shows a password error on the password field and never echoes the password", async () => {
    const action = actionReturning({
      fieldErrors: { currentPassword: "That password is not correct." },
      values: { businessName: "Roastery", contactEmail: "new@roastery.example", redirectUrl: "" },
    });
    render(<SettingsProfileForm action={action} initial={initial} />);
    fireEvent.change(input("Contact email"), { target: { value: "new@roastery.example" } });
    fireEvent.change(input("Current password"), { target: { value: "secret-password-1" } });
    await submit(/save profile/i);
    await screen.findByText("That password is not correct.");
    expect(action.mock.calls[0]![1].get("currentPassword")).toBe("secret-password-1");
    expect(input("Current password").getAttribute("aria-invalid")).toBe("true");
    expect(input("Current password").value).toBe("");
    expect(input("Contact email").value).toBe("new@roastery.example");
  });

  it("names a bad redirect URL on its field", async () => {
    render(<SettingsProfileForm action={actionReturning({ fieldErrors: { redirectUrl: "Enter an https:// URL" }, values: { ...initial, redirectUrl: "http://x.example" } })} initial={initial} />);
    await submit(/save profile/i);
    await screen.findByText("Enter an https:// URL");
    expect(input("Default redirect URL").getAttribute("aria-invalid")).toBe("true");
    expect(input("Default redirect URL").value).toBe("http://x.example");
    expect(input("Business name").getAttribute("aria-invalid")).toBeNull();
  });
});

describe("SettingsPayoutForm", () => {
  const wallets = [
    { network: "bitcoin" as const, mode: "live" as const, payoutAddress: "bc1qexample" },
    { network: "tron" as const, mode: "test" as const, payoutAddress: null },
  ];

  it("has one field per configured wallet, named payout.<network>:<mode>, and shows the error on that field", async () => {
    const action = actionReturning({ fieldErrors: { "tron:test": "Enter a valid tron test-network address (the checksum is checked)." }, values: { "bitcoin:live": "bc1qexample", "tron:test": "Tbad" } });
    render(<SettingsPayoutForm action={action} wallets={wallets} />);
    expect(input("Bitcoin (live)").value).toBe("bc1qexample");
    expect(input("Tron (test)").value).toBe("");
    expect(screen.queryByLabelText("Ethereum (live)")).toBeNull();
    fireEvent.change(input("Tron (test)"), { target: { value: "Tbad" } });
    await submit(/save payout addresses/i);
    await screen.findByText(/valid tron test-network address/);
    const formData = action.mock.calls[0]![1];
    expect(formData.get("payout.bitcoin:live")).toBe("bc1qexample");
    expect(formData.get("payout.tron:test")).toBe("Tbad");
    expect(input("Tron (test)").getAttribute("aria-invalid")).toBe("true");
    expect(input("Tron (test)").value).toBe("Tbad");
    expect(input("Bitcoin (live)").getAttribute("aria-invalid")).toBeNull();
  });
});
