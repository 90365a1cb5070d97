import { expect, test } from "@playwright/test";

const PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password";

test("an anonymous visitor to /admin is sent to the sign-in page", async ({ page }) => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/sign-in\?callbackUrl=%2Fadmin$/);
  await expect(page.getByRole("heading", { name: "Sign in to the admin" })).toBeVisible();
});

test("empty fields are named in the form's messages", async ({ page }) => {
  await page.goto("/admin/sign-in");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter your username.")).toBeVisible();
  await expect(page.getByText("Enter your password.")).toBeVisible();
  await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");
});

test("a wrong password shows an error and keeps the username", async ({ page }) => {
  await page.goto("/admin/sign-in");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toHaveText("Incorrect username or password.");
  await expect(page.getByLabel("Username")).toHaveValue("admin");
  await expect(page).toHaveURL(/\/admin\/sign-in/);
});

test("the admin signs in, sees the dashboard, and signs out", async ({ page }) => {
  await page.goto("/admin");
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByText("Signed in as admin.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Recent activity" })).toBeVisible();

  // The browser never receives the session token or credentials.
  const session = await page.request.get("/api/auth/session");
  const body = JSON.stringify(await session.json());
  expect(body).toContain("admin");
  expect(body).not.toMatch(/"st"|sessionToken|password/i);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/admin\/sign-in/);
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/sign-in/);
});
