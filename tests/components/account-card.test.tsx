import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AccountCard } from "@/components/store/account-card";
import type { AccountListing } from "@/db/queries/catalog";
import { money, type FiatCurrency, type Money } from "@/lib/domain";

afterEach(cleanup);

const CONTACT_URL = "https://t.me/my_shop_bot?text=ACC-3F9A1C2B%0AHi!";

function listing(overrides: Partial<AccountListing> = {}): AccountListing {
  return {
    id: "3f9a1c2b-7d4e-4a6b-9c8d-0e1f2a3b4c5d",
    name: "acct-use1-001",
    displayName: "Bedrock us-east-1 · Opus high quota",
    primaryModels: [
      { model: "claude-4.0-opus-4-v1", tpm: 2_000_000, rpm: 500 },
      { model: "claude-4.0-sonnet-4-v1", tpm: 1_200_000, rpm: 1_000 },
      { model: "claude-3.7-sonnet-v1", tpm: 400_000, rpm: 250 },
    ],
    quotaLevel: "HIGH",
    price: money(89900n, "USD") as Money & { asset: FiatCurrency },
    status: "AVAILABLE",
    stockAvailable: true,
    reserved: false,
    regions: ["us-east-1", "us-west-2"],
    quotaUpdatedAt: new Date("2025-06-01T00:00:00Z"),
    ...overrides,
  };
}

describe("AccountCard", () => {
  it("shows the name as a heading that labels the card, the price and the regions", () => {
    render(<AccountCard listing={listing()} contactUrl={CONTACT_URL} />);
    const heading = screen.getByRole("heading", { name: "Bedrock us-east-1 · Opus high quota" });
    expect(heading.tagName).toBe("H2");
    const card = screen.getByRole("article", { name: "Bedrock us-east-1 · Opus high quota" });
    expect(within(card).getByText("$899.00")).toBeTruthy();
    expect(within(card).getByText("us-east-1 · us-west-2")).toBeTruthy();
  });

  it("lists the primary models by display name with their TPM/RPM, in order", () => {
    render(<AccountCard listing={listing()} contactUrl={CONTACT_URL} />);
    const items = within(screen.getByRole("list", { name: "Top models" })).getAllByRole("listitem");
    expect(items.map((li) => li.textContent)).toEqual([
      "Claude Opus 4" + "2M TPM · 500 RPM",
      "Claude Sonnet 4" + "1.2M TPM · 1K RPM",
      "Claude 3.7 Sonnet" + "400K TPM · 250 RPM",
    ]);
    expect(screen.getByText("Claude Opus 4")).toBeTruthy();
    expect(screen.getByText("2M TPM · 500 RPM")).toBeTruthy();
    // Raw model ids are not shown.
    expect(screen.queryByText(/claude-4\.0-opus/)).toBeNull();
  });

  it("shows the quota level and stock badges", () => {
    render(<AccountCard listing={listing()} contactUrl={CONTACT_URL} />);
    expect(screen.getByText("High quota")).toBeTruthy();
    expect(screen.getByText("In stock")).toBeTruthy();
    expect(screen.queryByText("Sold")).toBeNull();
  });

  it("links to Telegram in a new tab without leaking window.opener", () => {
    render(<AccountCard listing={listing()} contactUrl={CONTACT_URL} />);
    const link = screen.getByRole("link", { name: "Ask on Telegram" });
    expect(link.getAttribute("href")).toBe(CONTACT_URL);
    expect(link.getAttribute("target")).toBe("_blank");
    expect(link.getAttribute("rel")?.split(/\s+/)).toContain("noopener");
    expect(screen.queryByText("Unavailable")).toBeNull();
  });

  it("its name links to the account's page", () => {
    render(<AccountCard listing={listing()} contactUrl={CONTACT_URL} />);
    const title = screen.getByRole("heading", { level: 2 });
    expect(title.querySelector("a")?.getAttribute("href")).toBe(`/accounts/${listing().id}`);
  });

  it("a sold account shows a Sold badge and no Telegram link", () => {
    render(
      <AccountCard listing={listing({ status: "SOLD", stockAvailable: false })} contactUrl={CONTACT_URL} />,
    );
    expect(screen.getByText("Sold")).toBeTruthy();
    expect(screen.queryByText("In stock")).toBeNull();
    expect(screen.queryByRole("link", { name: "Ask on Telegram" })).toBeNull();
    expect(screen.queryByText("Ask on Telegram")).toBeNull();
    expect(screen.getByText("Unavailable")).toBeTruthy();
  });

  it("a reserved account shows a Reserved badge in place of In stock, and no Telegram link", () => {
    render(<AccountCard listing={listing({ reserved: true, stockAvailable: false })} contactUrl={CONTACT_URL} />);
    expect(screen.getByText("Reserved")).toBeTruthy();
    expect(screen.queryByText("In stock")).toBeNull();
    expect(screen.queryByRole("link", { name: "Ask on Telegram" })).toBeNull();
    expect(screen.getByText("Held for a buyer")).toBeTruthy();
    expect(screen.queryByText("Unavailable")).toBeNull();
  });

  it("an account under maintenance shows a Maintenance badge and no Telegram link", () => {
    render(
      <AccountCard listing={listing({ status: "MAINTENANCE", stockAvailable: false })} contactUrl={CONTACT_URL} />,
    );
    expect(screen.getByText("Maintenance")).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Ask on Telegram" })).toBeNull();
  });

  it("says when no model quota has been verified", () => {
    render(<AccountCard listing={listing({ primaryModels: [] })} contactUrl={CONTACT_URL} />);
    const items = within(screen.getByRole("list", { name: "Top models" })).getAllByRole("listitem");
    expect(items).toHaveLength(1);
    expect(items[0]!.textContent).toBe("No model quota verified yet");
    expect(screen.queryByText(/TPM/)).toBeNull();
  });

  it("does not show the empty-quota note when models are listed", () => {
    render(<AccountCard listing={listing()} contactUrl={CONTACT_URL} />);
    expect(screen.queryByText("No model quota verified yet")).toBeNull();
  });

  it("falls back to 'Region on request' and formats other currencies and levels", () => {
    render(
      <AccountCard
        listing={listing({
          regions: [],
          quotaLevel: "LOW",
          price: money(123450n, "EUR") as Money & { asset: FiatCurrency },
        })}
        contactUrl={CONTACT_URL}
      />,
    );
    expect(screen.getByText("Region on request")).toBeTruthy();
    expect(screen.getByText("€1,234.50")).toBeTruthy();
    expect(screen.getByText("Low quota")).toBeTruthy();
  });
});
