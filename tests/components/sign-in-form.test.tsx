import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SignInState } from "@/app/admin/sign-in/actions";
import { SignInForm } from "@/components/admin/sign-in-form";

afterEach(cleanup);

type Action = (state: SignInState, formData: FormData) => Promise<SignInState>;

function setup(result: SignInState | (() => Promise<SignInState>), callbackUrl = "/admin/accounts") {
  const action = vi.fn<Action>(async () => (typeof result === "function" ? result() : result));
  const view = render(<SignInForm action={action} callbackUrl={callbackUrl} />);
  const username = screen.getByLabelText("Username") as HTMLInputElement;
  const password = screen.getByLabelText("Password") as HTMLInputElement;
  const button = screen.getByRole("button", { name: "Sign in" }) as HTMLButtonElement;
  return { action, view, username, password, button };
}

async function submit(button: HTMLButtonElement) {
  await act(async () => {
    fireEvent.click(button);
  });
}

describe("SignInForm", () => {
  it("associates the labels with their inputs", () => {
    const { username, password } = setup({});
    expect(username.tagName).toBe("INPUT");
    expect(username.name).toBe("username");
    expect(username.autocomplete).toBe("username");
    expect(password.name).toBe("password");
    expect(password.type).toBe("password");
    expect(password.autocomplete).toBe("current-password");
  });

  it("carries the callbackUrl in a hidden input", () => {
    const { view } = setup({}, "/admin/invoices?page=2");
    const hidden = view.container.querySelector<HTMLInputElement>('input[type="hidden"][name="callbackUrl"]');
    expect(hidden).not.toBeNull();
    expect(hidden!.value).toBe("/admin/invoices?page=2");
  });

  it("starts with no alert and no invalid fields", () => {
    const { username, password } = setup({});
    expect(screen.queryByRole("alert")).toBeNull();
    expect(username.getAttribute("aria-invalid")).toBe("false");
    expect(password.getAttribute("aria-invalid")).toBe("false");
    expect(username.getAttribute("aria-describedby")).toBeNull();
  });

  it("submits username, password and callbackUrl to the action", async () => {
    const { action, username, password, button } = setup({ error: "Incorrect username or password." });
    fireEvent.change(username, { target: { value: "alice" } });
    fireEvent.change(password, { target: { value: "correct horse battery" } });
    await submit(button);

    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    const [prevState, formData] = action.mock.calls[0]!;
    expect(prevState).toEqual({});
    expect(formData.get("username")).toBe("alice");
    expect(formData.get("password")).toBe("correct horse battery");
    expect(formData.get("callbackUrl")).toBe("/admin/accounts");
  });

  it("shows a returned error in role=alert", async () => {
    const { button } = setup({ error: "Incorrect username or password.", username: "alice" });
    await submit(button);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Incorrect username or password.");
  });

  it("shows a username field error and marks the input invalid", async () => {
    const { username, password, button } = setup({ fieldErrors: { username: "Enter your username." } });
    await submit(button);

    const message = await screen.findByText("Enter your username.");
    expect(username.getAttribute("aria-invalid")).toBe("true");
    expect(username.getAttribute("aria-describedby")).toBe(message.id);
    expect(message.id).toBe("username-error");
    // Only the username is flagged; a field error is not a form-level alert.
    expect(password.getAttribute("aria-invalid")).toBe("false");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows a password field error on the password input", async () => {
    const { username, password, button } = setup({ fieldErrors: { password: "Enter your password." }, username: "alice" });
    await submit(button);

    const message = await screen.findByText("Enter your password.");
    expect(password.getAttribute("aria-invalid")).toBe("true");
    expect(password.getAttribute("aria-describedby")).toBe(message.id);
    expect(username.getAttribute("aria-invalid")).toBe("false");
  });

  it("keeps the typed username from the returned state after the form resets", async () => {
    const { username, password, button } = setup({ error: "Incorrect username or password.", username: "alice" });
    fireEvent.change(username, { target: { value: "alice" } });
    fireEvent.change(password, { target: { value: "wrong-password" } });
    await submit(button);

    await screen.findByRole("alert");
    expect((screen.getByLabelText("Username") as HTMLInputElement).value).toBe("alice");
    // The password is never echoed back.
    expect((screen.getByLabelText("Password") as HTMLInputElement).value).toBe("");
  });

  it("the kept username comes from the state, not from the DOM (control)", async () => {
    // React resets the form after an action; without state.username the field comes back empty.
    const { username, button } = setup({ error: "Incorrect username or password." });
    fireEvent.change(username, { target: { value: "alice" } });
    await submit(button);

    await screen.findByRole("alert");
    expect((screen.getByLabelText("Username") as HTMLInputElement).value).toBe("");
  });

  it("passes the previous state to the next submission and clears old errors", async () => {
    const results: SignInState[] = [
      { error: "Incorrect username or password.", username: "alice" },
      { fieldErrors: { username: "Enter your username." } },
    ];
    const { action, button } = setup(async () => results[action.mock.calls.length - 1]!);

    await submit(button);
    await screen.findByRole("alert");

    await submit(button);
    await screen.findByText("Enter your username.");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(action).toHaveBeenCalledTimes(2);
    expect(action.mock.calls[1]![0]).toEqual(results[0]);
  });

  it("disables the button and says 'Signing in…' while the action is pending", async () => {
    let resolve!: (s: SignInState) => void;
    const { button } = setup(() => new Promise<SignInState>((r) => (resolve = r)));

    await submit(button);
    const pending = await screen.findByRole("button", { name: "Signing in…" });
    expect((pending as HTMLButtonElement).disabled).toBe(true);

    await act(async () => resolve({ error: "Incorrect username or password." }));
    await screen.findByRole("alert");
    const idle = screen.getByRole("button", { name: "Sign in" }) as HTMLButtonElement;
    expect(idle.disabled).toBe(false);
  });
});
