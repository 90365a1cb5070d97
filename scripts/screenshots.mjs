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
import { chromium } from "@playwright/test";

const baseUrl = (process.argv[2] ?? "http://127.0.0.1:3300").replace(/\/+$/, "");
const adminUsername = process.env.E2E_ADMIN_USERNAME ?? "admin";
const adminPassword = process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password";
const outDir = path.resolve("screenshots");
mkdirSync(outDir, { recursive: true });

const WIDTHS = [375, 1280];
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

const PAGES = [
  {
    name: "storefront",
    run: async (page) => {
      await page.goto(`${baseUrl}/`);
      await page.getByTestId("stock-summary").waitFor();
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

const report = [];
let failures = 0;
try {
  for (const width of WIDTHS) {
    for (const colorScheme of SCHEMES) {
      for (const { name, run } of PAGES) {
        const file = `${name}-${width}-${colorScheme}.png`;
        // A fresh context per shot: no session or form state leaks from one page into the next.
        const context = await browser.newContext({
          viewport: { width, height: width < 640 ? 812 : 800 },
          deviceScaleFactor: 1,
          colorScheme,
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
