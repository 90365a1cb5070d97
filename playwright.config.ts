import { defineConfig, devices } from "@playwright/test";
import { readFileSync } from "node:fs";

const PORT = Number(process.env.E2E_PORT ?? 3210);

/** Debian's chromium, never a downloaded browser, with flags measured to work on these machines. */
const CHROMIUM_ARGS = JSON.parse(readFileSync(new URL("./scripts/chromium-args.json", import.meta.url), "utf8")) as string[];

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 1, // a retried pass is reported as flaky in the JSON; see scripts/test.mjs
  timeout: 30_000,
  reporter: [["list"], ["json", { outputFile: ".test-results/playwright.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } } },
    { name: "mobile", use: { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true }, testMatch: /storefront|admin-auth|merchant-checkout/ },
  ],
  webServer: {
    command: `node scripts/e2e-server.mjs ${PORT}`,
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
