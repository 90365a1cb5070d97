import { readFileSync } from "node:fs";
// Full-page screenshots of the main pages for a visual review.
//
//   node scripts/screenshots.mjs [baseUrl]      (default http://127.0.0.1:3300)
//
// Writes ./screenshots/<page>-<width>-<scheme>.png for widths 375 and 1280 and the light and dark
// color schemes, plus ./screenshots/overflow.json with the horizontal-overflow check of every shot
// (document.documentElement.scrollWidth > innerWidth). Uses the system Chromium; never downloads one.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, request as playwrightRequest } from "@playwright/test";
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";

const baseUrl = (process.argv[2] ?? "http://127.0.0.1:3300").replace(/\/+$/, "");
const adminUsername = process.env.E2E_ADMIN_USERNAME ?? "admin";
const adminPassword = process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password";
const outDir = path.resolve("screenshots");
mkdirSync(outDir, { recursive: true });

const WIDTHS = process.env.SCREENSHOTS_WIDTHS ? process.env.SCREENSHOTS_WIDTHS.split(",").map(Number) : [375, 1280];
const SCHEMES = ["light", "dark"];

/** Waits until the page has settled: network quiet, every stylesheet applied, web fonts loaded. */
async function settle(page) {
  await page.waitForLoadState("networkidle").catch(() => {});
  await page
    .waitForFunction(() => [...document.querySelectorAll('link[rel="stylesheet"]')].every((l) => l.sheet), null, { timeout: 10_000 })
    .catch(() => {});
  await page.evaluate(() => document.fonts.ready).catch(() => {});
}

/** True when the app's CSS is in effect (Tailwind sets display:flex on the header/main rows). */
const isStyled = (page) =>
  page.evaluate(() => {
    const links = [...document.querySelectorAll('link[rel="stylesheet"]')];
    return links.length > 0 && links.every((l) => l.sheet) && getComputedStyle(document.body).margin === "0px";
  });

async function submitSignIn(page, username, password) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

// A paid order of a seeded account (bought with the test wallet), and an account held by an
// unpaid one, for the order page and the reserved states.
const purchase = { orderUrl: "", reservedUrl: "" };

async function buyAccount(page, name) {
  await page.goto(`${baseUrl}/?q=${encodeURIComponent(name)}`);
  await page.getByRole("link", { name }).first().click();
  await page.waitForURL(/\/accounts\//);
  const accountUrl = page.url();
  await page.getByLabel("Pay with").selectOption({ label: "ETH on Ethereum (test network)" });
  await page.getByRole("button", { name: "Buy with crypto" }).click();
  await page.waitForURL(/\/pay\//, { timeout: 20_000 });
  return accountUrl;
}

async function setUpPurchase(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await buyAccount(page, "Haiku Volume — us-east-1");
    await page.getByRole("button", { name: "Pay with test wallet" }).click();
    await page.getByTestId("checkout-status-paid").waitFor({ timeout: 60_000 });
    await page.getByRole("link", { name: "Return to merchant" }).click();
    await page.waitForURL(/\/orders\//);
    purchase.orderUrl = page.url();
    purchase.reservedUrl = await buyAccount(page, "Sonnet 4 Standard Plus — ap-northeast-1");
  } catch (error) {
    console.warn(`  purchase set-up failed (${error.message}): the order shots will be skipped`);
  } finally {
    await context.close();
  }
}

/** Signs in as the admin on the way to `path`, and waits for its heading. */
function adminAt(path, heading) {
  return async (page) => {
    await page.goto(`${baseUrl}${path}`);
    if (new URL(page.url()).pathname === "/admin/sign-in") await submitSignIn(page, adminUsername, adminPassword);
    await page.getByRole("heading", { name: heading, exact: true }).waitFor();
  };
}

// A merchant of our own for the dashboard and checkout pages: its wallet keys come from the BIP39
// test mnemonic at a random account number, so runs against the same server never collide.
const account = 100 + Math.floor(Math.random() * 100_000);
const seed = mnemonicToSeedSync("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about");
const vpub = HDKey.fromMasterSeed(seed, { private: 0x045f18bc, public: 0x045f1cf6 }).derive(`m/84'/1'/${account}'`).publicExtendedKey;
const tronXpub = HDKey.fromMasterSeed(seed).derive(`m/44'/195'/${account}'`).publicExtendedKey;
const ethXpub = HDKey.fromMasterSeed(seed).derive(`m/44'/60'/${account}'`).publicExtendedKey;
const merchant = { email: `screens-${account}@example.com`, password: "a-long-merchant-password", storageState: null, apiKey: "", invoiceId: "", ethInvoiceId: "", linkId: "" };

async function setUpMerchant(browser) {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": `198.51.100.${1 + (account % 250)}` } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/merchant/sign-up`);
  await page.getByLabel("Business name").fill("Espresso Supply Co");
  await page.getByLabel("Email").fill(merchant.email);
  await page.getByLabel("Password").fill(merchant.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL((url) => url.pathname === "/merchant");
  for (const [network, key] of [["bitcoin", vpub], ["tron", tronXpub], ["ethereum", ethXpub]]) {
    await page.goto(`${baseUrl}/merchant/wallets`);
    await page.getByLabel("Network").selectOption(network);
    await page.getByLabel("Mode").selectOption("test");
    await page.getByLabel("Extended public key").fill(key);
    await page.getByRole("button", { name: "Save key" }).click();
    await page.getByTestId("form-success").waitFor();
  }
  await page.goto(`${baseUrl}/merchant/api-keys`);
  await page.getByLabel("Name").fill("Web shop");
  await page.getByRole("button", { name: "Create API key" }).click();
  merchant.apiKey = (await page.getByTestId("new-api-key").textContent()).trim();
  await page.goto(`${baseUrl}/merchant/payment-links`);
  await page.getByLabel("Product").fill("Espresso beans, 1 kg");
  await page.getByLabel("Price").fill("24.50");
  await page.getByRole("button", { name: "Create link" }).click();
  await page.getByTestId("form-success").waitFor();
  const href = await page.locator('a[href*="/pay/link/"]').first().getAttribute("href");
  merchant.linkId = href.split("/pay/link/")[1];
  merchant.storageState = await context.storageState();
  await context.close();

  const api = await playwrightRequest.newContext({ baseURL: baseUrl });
  const created = await api.post("/api/v1/invoices", {
    headers: { authorization: `Bearer ${merchant.apiKey}` },
    data: {
      title: "Espresso beans, 1 kg",
      currency: "USD",
      items: [{ description: "Espresso beans, 1 kg", quantity: 2, unit_price: "24.50" }],
      crypto_currency: "BTC",
      redirect_url: "https://shop.example.com/thanks",
    },
  });
  if (created.status() !== 201) throw new Error(`creating the demo invoice answered ${created.status()}: ${await created.text()}`);
  merchant.invoiceId = (await created.json()).id;
  // A test-mode USDT invoice on Ethereum: on a server running the local dev chain its checkout
  // offers "Pay with test wallet".
  const eth = await api.post("/api/v1/invoices", {
    headers: { authorization: `Bearer ${merchant.apiKey}` },
    data: { title: "Sample pack", currency: "USD", items: [{ description: "Sample pack", quantity: 1, unit_price: "5.00" }], crypto_currency: "USDT", network: "ethereum" },
  });
  if (eth.status() !== 201) throw new Error(`creating the USDT invoice answered ${eth.status()}: ${await eth.text()}`);
  merchant.ethInvoiceId = (await eth.json()).id;
  await api.dispose();
}

/** Opens the checkout and answers its status polls with `status` (live update, no reload). */
function checkoutIn(status, patch = {}) {
  return async (page) => {
    let view = null;
    await page.route(`**/api/pay/${merchant.invoiceId}/status`, async (route) => {
      const response = await route.fetch();
      view ??= await response.json();
      const now = new Date().toISOString();
      await route.fulfill({ json: { ...view, status, serverNow: now, ...patch(view) } });
    });
    await page.goto(`${baseUrl}/pay/${merchant.invoiceId}`);
    await page.getByTestId("checkout-status-pending").waitFor();
    if (status !== "pending") await page.getByTestId(`checkout-status-${status}`).waitFor({ timeout: 15_000 });
  };
}

const PAGES = [
  {
    name: "storefront",
    run: async (page) => {
      await page.goto(`${baseUrl}/`);
      await page.getByTestId("stock-summary").waitFor();
    },
  },
  {
    name: "storefront-filtered",
    run: async (page) => {
      await page.goto(`${baseUrl}/?level=HIGH&stock=1&sort=price_asc&min=abc`);
      await page.getByTestId("result-count").waitFor();
    },
  },
  {
    name: "account-detail",
    run: async (page) => {
      await page.goto(`${baseUrl}/`);
      const href = await page.getByRole("link", { name: "Opus 4 Enterprise — us-east-1" }).getAttribute("href");
      await page.goto(`${baseUrl}${href}`);
      await page.getByTestId("quota-table").waitFor();
    },
  },
  {
    name: "storefront-no-results",
    run: async (page) => {
      await page.goto(`${baseUrl}/?q=nothing-matches-this`);
      await page.getByTestId("no-results").waitFor();
    },
  },
  {
    name: "sign-in",
    run: async (page) => {
      await page.goto(`${baseUrl}/admin/sign-in`);
      await page.getByRole("button", { name: "Sign in" }).waitFor();
    },
  },
  {
    name: "sign-in-wrong-password",
    run: async (page) => {
      await page.goto(`${baseUrl}/admin/sign-in`);
      // A throwaway username, so repeated runs never lock the real admin out (5 failures per user).
      await submitSignIn(page, `reviewer-${Math.random().toString(36).slice(2, 8)}`, "definitely-wrong");
      await page.getByTestId("form-error").waitFor();
    },
  },
  {
    name: "sign-in-empty",
    run: async (page) => {
      await page.goto(`${baseUrl}/admin/sign-in`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator("#username-error").waitFor();
    },
  },
  {
    name: "dashboard",
    run: async (page) => {
      await page.goto(`${baseUrl}/admin/sign-in`);
      await submitSignIn(page, adminUsername, adminPassword);
      await page.waitForURL((url) => url.pathname === "/admin");
      await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    },
  },
  { name: "admin-accounts", run: adminAt("/admin/accounts", "Accounts") },
  { name: "admin-accounts-empty", run: adminAt("/admin/accounts?q=no-such-account-anywhere", "Accounts") },
  {
    name: "admin-account-new-errors",
    run: async (page) => {
      await adminAt("/admin/accounts/new", "New account")(page);
      await page.getByLabel("Price").fill("12.345");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.locator("#name-error").waitFor();
    },
  },
  {
    name: "admin-account",
    run: async (page) => {
      await adminAt("/admin/accounts?q=opus", "Accounts")(page);
      await page.getByTestId("admin-accounts").getByRole("link").first().click();
      await page.getByRole("heading", { name: "Quotas" }).waitFor();
      await page.getByRole("button", { name: "Refresh quotas" }).click();
      await page.getByTestId("quota-refresh-result").or(page.getByTestId("quota-refresh-error")).waitFor();
    },
  },
  { name: "admin-quotas", run: adminAt("/admin/quotas", "Quotas") },
  { name: "admin-orders", run: adminAt("/admin/orders", "Orders") },
  {
    name: "order-paid",
    run: async (page) => {
      if (!purchase.orderUrl) throw new Error("no order was bought in the set-up");
      await page.goto(purchase.orderUrl);
      await page.getByTestId("order-paid").waitFor();
    },
  },
  {
    name: "account-reserved",
    run: async (page) => {
      if (!purchase.reservedUrl) throw new Error("no account was reserved in the set-up");
      await page.goto(purchase.reservedUrl);
      await page.getByTestId("reserved-note").waitFor();
    },
  },
  { name: "admin-activity", run: adminAt("/admin/activity", "Activity") },
  {
    name: "merchant-sign-up-errors",
    run: async (page) => {
      await page.goto(`${baseUrl}/merchant/sign-up`);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.locator("#businessName-error").waitFor();
    },
  },
  {
    name: "merchant-sign-in",
    run: async (page) => {
      await page.goto(`${baseUrl}/merchant/sign-in`);
      await page.getByRole("button", { name: "Sign in" }).waitFor();
    },
  },
  { name: "merchant-overview", auth: true, run: async (page) => void (await page.goto(`${baseUrl}/merchant`)) },
  {
    name: "merchant-api-keys-new",
    auth: true,
    run: async (page) => {
      await page.goto(`${baseUrl}/merchant/api-keys`);
      // The free plan allows two active keys: make room so every run shows a freshly created one.
      while ((await page.getByRole("button", { name: "Revoke" }).count()) > 1) {
        await page.getByRole("button", { name: "Revoke" }).first().click();
        await page.waitForLoadState("networkidle");
      }
      await page.getByRole("button", { name: "Create API key" }).click();
      await page.getByTestId("new-api-key").waitFor();
    },
  },
  {
    name: "merchant-wallets-error",
    auth: true,
    run: async (page) => {
      await page.goto(`${baseUrl}/merchant/wallets`);
      await page.getByLabel("Extended public key").fill("zpub-not-a-key");
      await page.getByRole("button", { name: "Save key" }).click();
      await page.locator("#extendedPublicKey-error").waitFor();
    },
  },
  { name: "merchant-payment-links", auth: true, run: async (page) => void (await page.goto(`${baseUrl}/merchant/payment-links`)) },
  {
    name: "pay-link",
    run: async (page) => {
      await page.goto(`${baseUrl}/pay/link/${merchant.linkId}`);
      await page.getByRole("button", { name: "Continue to payment" }).waitFor();
    },
  },
  { name: "checkout-pending", run: checkoutIn("pending", () => ({})) },
  {
    name: "checkout-partial",
    run: checkoutIn("partial", (v) => ({ crypto: { ...v.crypto, received: "0.0003", remaining: (Number(v.crypto.amount) - 0.0003).toFixed(8) } })),
  },
  { name: "checkout-confirming", run: checkoutIn("confirming", () => ({ confirmations: { current: 1, required: 2 } })) },
  { name: "checkout-paid", run: checkoutIn("paid", (v) => ({ paidAt: new Date().toISOString(), crypto: { ...v.crypto, received: v.crypto.amount, remaining: "0" } })) },
  { name: "checkout-expired", run: checkoutIn("expired", () => ({})) },
  {
    name: "checkout-test-wallet",
    run: async (page) => {
      await page.goto(`${baseUrl}/pay/${merchant.ethInvoiceId}`);
      await page.getByRole("button", { name: "Pay with test wallet" }).waitFor();
    },
  },
  { name: "checkout-cancelled", run: checkoutIn("cancelled", () => ({})) },
  {
    name: "docs-api",
    run: async (page) => {
      await page.goto(`${baseUrl}/docs/api`);
      await page.getByRole("heading", { level: 1 }).waitFor();
    },
  },
  {
    name: "docs-embed",
    run: async (page) => {
      await page.goto(`${baseUrl}/docs/embed?link=${merchant.linkId}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
    },
  },
  {
    name: "not-found",
    run: async (page) => {
      const response = await page.goto(`${baseUrl}/does-not-exist`);
      if (response?.status() !== 404) console.warn(`  /does-not-exist answered ${response?.status()}, not 404`);
    },
  },
];

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: JSON.parse(readFileSync(new URL("./chromium-args.json", import.meta.url), "utf8")),
});

await setUpMerchant(browser);
await setUpPurchase(browser);
const only = process.env.SCREENSHOTS_ONLY ? new RegExp(process.env.SCREENSHOTS_ONLY) : null;

const report = [];
let failures = 0;
try {
  for (const width of WIDTHS) {
    for (const colorScheme of SCHEMES) {
      for (const { name, run, auth } of PAGES) {
        if (only && !only.test(name)) continue;
        const file = `${name}-${width}-${colorScheme}.png`;
        // A fresh context per shot: no session or form state leaks from one page into the next.
        const context = await browser.newContext({
          viewport: { width, height: width < 640 ? 812 : 800 },
          deviceScaleFactor: 1,
          colorScheme,
          ...(auth ? { storageState: merchant.storageState } : {}),
          // A per-run client address, so the per-IP sign-in throttle never trips across runs.
          extraHTTPHeaders: { "x-forwarded-for": `203.0.113.${1 + Math.floor(Math.random() * 250)}` },
        });
        const page = await context.newPage();
        const problems = [];
        page.on("requestfailed", (r) => {
          // Aborted link prefetches and superseded navigations are normal; anything else is not.
          if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
        });
        page.on("response", (r) => {
          if (r.status() >= 400 && r.request().resourceType() !== "document") problems.push(`HTTP ${r.status()}: ${r.url()}`);
        });
        page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
        try {
          await run(page);
          await settle(page);
          // A stylesheet that did not load gives an unstyled shot: retry the page once before giving up.
          if (!(await isStyled(page))) {
            console.warn(`  ${file}: CSS not applied (${problems.join("; ") || "no failed request seen"}); retrying`);
            await run(page);
            await settle(page);
            if (!(await isStyled(page))) throw new Error("the page's CSS did not apply");
          }
          for (const p of problems) console.warn(`  ${file}: ${p}`);
          const metrics = await page.evaluate(() => {
            const root = document.documentElement;
            const wide = [...document.querySelectorAll("body *")]
              .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
              .slice(0, 5)
              .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${String(el.className).split(" ").slice(0, 3).join(".")}`);
            return { scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, wide };
          });
          const overflow = metrics.scrollWidth > metrics.innerWidth;
          await page.screenshot({ path: path.join(outDir, file), fullPage: true });
          report.push({ file, url: page.url(), ...metrics, overflow });
          console.log(`${file}  scrollWidth=${metrics.scrollWidth} innerWidth=${metrics.innerWidth}${overflow ? "  OVERFLOW" : ""}`);
          if (overflow) console.log(`  wider than the viewport: ${metrics.wide.join(", ")}`);
        } catch (error) {
          failures++;
          console.error(`${file}  FAILED: ${error.message.split("\n")[0]}`);
          await page.screenshot({ path: path.join(outDir, file), fullPage: true }).catch(() => {});
        } finally {
          await context.close();
        }
      }
    }
  }
} finally {
  await browser.close();
}

writeFileSync(path.join(outDir, "overflow.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\n${report.length} screenshots in ${path.relative(process.cwd(), outDir) || "."}/`);
if (failures) {
  console.error(`${failures} page(s) failed`);
  process.exit(1);
}
