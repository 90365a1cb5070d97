import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SettingsFormState } from "@/app/admin/(protected)/settings/actions";
import { PaymentSettingsForm, SecuritySettingsForm } from "@/components/admin/settings-forms";
import { SettingsNetworkForm } from "@/components/admin/settings-network-form";
import { SettingsProviders } from "@/components/admin/settings-providers";

afterEach(cleanup);

type Action = (state: SettingsFormState, formData: FormData) => Promise<SettingsFormState>;
const saved = { defaultExpiryMinutes: 30, partialPaymentGraceMinutes: 15, rateLockMinutes: 15 };

async function click(name: string | RegExp) {
  await act(async () => {
    fireEvent.click(screen.getByRole("button", { name }));
  });
}

describe("PaymentSettingsForm", () => {
  it("shows the saved values, then the refusal next to the field with what was typed", async () => {
    const action = vi.fn<Action>(async (_s, fd) => ({
      fieldErrors: { defaultExpiryMinutes: "The default expiry must be at least 5." },
      values: Object.fromEntries([...fd].map(([k, v]) => [k, String(v)])),
    }));
    render(<PaymentSettingsForm action={action} saved={saved} />);
    const expiry = screen.getByLabelText("Default invoice expiry (minutes)") as HTMLInputElement;
    expect(expiry.value).toBe("30");
    fireEvent.change(expiry, { target: { value: "2" } });
    await click("Save payment settings");
    expect(action).toHaveBeenCalledOnce();
    expect(action.mock.calls[0]![1].get("defaultExpiryMinutes")).toBe("2");
    const after = screen.getByLabelText("Default invoice expiry (minutes)") as HTMLInputElement;
    expect(after.value).toBe("2");
    expect(after.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("The default expiry must be at least 5.").id).toBe("defaultExpiryMinutes-error");
    expect(after.getAttribute("aria-describedby")).toContain("defaultExpiryMinutes-error");
  });

  it("says when the change is saved", async () => {
    render(<PaymentSettingsForm action={async () => ({ success: "Saved." })} saved={saved} />);
    await click("Save payment settings");
    expect(screen.getByTestId("form-success").textContent).toBe("Saved.");
  });
});

describe("SecuritySettingsForm", () => {
  it("submits the checkboxes as on/absent", async () => {
    const action = vi.fn<Action>(async () => ({}));
    render(<SecuritySettingsForm action={action} saved={{ allowPrivateWebhookTargets: false, allowHttpWebhooksToLocalhost: true, apiRateLimitPerMinute: 120 }} />);
    fireEvent.click(screen.getByLabelText(/Allow webhooks to private addresses/));
    fireEvent.click(screen.getByLabelText(/Allow plain http/));
    await click("Save security settings");
    const fd = action.mock.calls[0]![1];
    expect(fd.get("allowPrivateWebhookTargets")).toBe("on");
    expect(fd.get("allowHttpWebhooksToLocalhost")).toBeNull();
    expect(fd.get("apiRateLimitPerMinute")).toBe("120");
  });
});

describe("SettingsNetworkForm", () => {
  const network = {
    key: "ethereum:live",
    title: "Ethereum",
    url: { field: "rpcUrl" as const, label: "JSON-RPC URL", value: "", masked: true, display: "https://mainnet.infura.io/…" },
    tiers: [{ upTo: "1000.00", confirmations: "6" }, { upTo: "", confirmations: "32" }, { upTo: "", confirmations: "" }],
  };

  it("never puts a hidden URL in the page, and says how to keep or remove it", () => {
    const view = render(<SettingsNetworkForm action={async () => ({})} network={network} />);
    const input = screen.getByLabelText("JSON-RPC URL") as HTMLInputElement;
    expect(input.value).toBe("");
    expect(screen.getByText(/Leave empty to keep it/)).toBeTruthy();
    expect(view.container.querySelector<HTMLInputElement>('input[name="rpcUrlKept"]')!.value).toBe("1");
    expect(screen.getByLabelText("Remove the saved URL")).toBeTruthy();
    expect(view.container.innerHTML).not.toContain("/v3/");
  });

  it("puts a tier's error under that tier's input", async () => {
    render(<SettingsNetworkForm action={async () => ({ fieldErrors: { "tiers.1.confirmations": "Larger amounts cannot need fewer confirmations than smaller ones." }, values: {} })} network={network} />);
    await click("Save Ethereum");
    const input = screen.getByLabelText("Tier 2 confirmations");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(input.getAttribute("aria-describedby")!)!.textContent).toContain("fewer confirmations");
  });
});

describe("SettingsProviders", () => {
  it("lists providers in order with one form per button; the ends cannot move further", async () => {
    const action = vi.fn<Action>(async () => ({ success: "Saved." }));
    render(<SettingsProviders action={action} providers={[{ id: "kraken", enabled: true, baseUrl: null }, { id: "static", enabled: false, baseUrl: null }]} />);
    expect((screen.getByRole("button", { name: "Move Kraken up" }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Move Static table (offline fallback) down" }) as HTMLButtonElement).disabled).toBe(true);
    await click("Enable Static table (offline fallback)");
    const fd = action.mock.calls[0]![1];
    expect([fd.get("providerId"), fd.get("op")]).toEqual(["static", "enable"]);
  });
});
