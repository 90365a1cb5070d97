import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NotificationTemplateForm, type TemplateFormState } from "@/components/merchant/notification-template-form";
import { variablesFor } from "@/lib/notifications/catalog";
import { sampleValues } from "@/lib/notifications/values";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

type Action = (state: TemplateFormState, formData: FormData) => Promise<TemplateFormState>;

function setup(result: TemplateFormState | ((formData: FormData) => TemplateFormState), initial = { subject: "Paid: {{invoice.total}}", body: "Thanks, {{customer.email}}.\n\n{{invoice.url}}" }) {
  const action = vi.fn<Action>(async (_state, formData) => (typeof result === "function" ? result(formData) : result));
  const sample = { ...sampleValues("invoice_paid", { name: "Acme", email: "billing@acme.test" }, "https://pay.example"), "customer.email": "<script>alert(1)</script>@x.test" };
  render(
    <NotificationTemplateForm action={action} eventType="invoice_paid" recipient="customer" subject={initial.subject} body={initial.body} variables={variablesFor("invoice_paid")} sample={sample} />,
  );
  return {
    action,
    subject: screen.getByLabelText("Subject") as HTMLInputElement,
    body: screen.getByLabelText("Body") as HTMLTextAreaElement,
    save: screen.getByRole("button", { name: "Save template" }),
    reset: screen.getByRole("button", { name: "Reset to default" }),
  };
}

async function click(button: HTMLElement) {
  await act(async () => {
    fireEvent.click(button);
  });
}

describe("NotificationTemplateForm", () => {
  it("shows the server's error next to the field it names, until that field is edited", async () => {
    const message = "The body uses the unknown variable {{invoice.totl}}. Pick one from the list of variables.";
    // As a browser submits a textarea: with CRLF line ends.
    const { action, body, subject, save } = setup((formData) => ({
      fieldErrors: { body: message },
      values: { subject: String(formData.get("subject")), body: String(formData.get("body")).replace(/\n/g, "\r\n") },
    }));
    fireEvent.change(body, { target: { value: "Total {{invoice.totl}}\n\nBye" } });
    await click(save);
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    const formData = action.mock.calls[0]![1];
    expect(formData.get("intent")).toBe("save");
    expect(formData.get("eventType")).toBe("invoice_paid");
    expect(formData.get("recipient")).toBe("customer");
    expect(formData.get("body")).toBe("Total {{invoice.totl}}\n\nBye");

    await waitFor(() => expect(body.getAttribute("aria-invalid")).toBe("true"));
    const error = document.getElementById("body-error")!;
    expect(error.textContent).toBe(message);
    expect(body.getAttribute("aria-invalid")).toBe("true");
    expect(body.getAttribute("aria-describedby")).toContain(error.id);
    expect(subject.getAttribute("aria-invalid")).toBeNull();
    // The live preview says the same, naming the field.
    expect(within(screen.getByTestId("preview-problem")).getByText(/The body uses the unknown variable \{\{invoice\.totl\}\}/)).toBeTruthy();

    fireEvent.change(body, { target: { value: "Total {{invoice.total}}" } });
    expect(screen.queryByText(message)).toBeNull();
    expect(body.getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByTestId("preview-problem")).toBeNull();
  });

  it("previews with sample data, escaping values in the HTML", () => {
    setup({});
    expect(screen.getByTestId("preview-subject").textContent).toBe("Paid: $49.00");
    const frame = screen.getByTitle("Email preview") as HTMLIFrameElement;
    expect(frame.getAttribute("sandbox")).toBe("");
    const html = frame.getAttribute("srcdoc")!;
    expect(html).toContain("Thanks, &lt;script&gt;alert(1)&lt;/script&gt;@x.test.");
    expect(html).not.toContain("<script>");
    expect(screen.getByTestId("preview-text").textContent).toContain("Thanks, <script>alert(1)</script>@x.test.");
  });

  it("updates the preview as the subject changes and flags an unknown variable there", () => {
    const { subject } = setup({});
    fireEvent.change(subject, { target: { value: "Receipt for {{invoice.title}}" } });
    expect(screen.getByTestId("preview-subject").textContent).toBe("Receipt for Pro plan (annual)");
    fireEvent.change(subject, { target: { value: "Receipt {{order.id}}" } });
    expect(screen.getByTestId("preview-problem").textContent).toContain("The subject uses the unknown variable {{order.id}}");
  });

  it("inserts a variable at the cursor of the last field used", () => {
    const { body } = setup({}, { subject: "S", body: "Hello !" });
    body.focus();
    fireEvent.focus(body);
    body.setSelectionRange(6, 6);
    fireEvent.click(screen.getByRole("button", { name: /\{\{invoice\.id\}\}/ }));
    expect(body.value).toBe("Hello {{invoice.id}}!");
  });

  it("asks before resetting, and shows the default it gets back", async () => {
    const confirm = vi.spyOn(window, "confirm").mockReturnValueOnce(false).mockReturnValueOnce(true);
    const { action, reset } = setup({ success: "The default subject and body are back.", saved: { subject: "Default subject", body: "Default body", at: 1 } });
    await click(reset);
    expect(action).not.toHaveBeenCalled();
    await click(reset);
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    expect(action.mock.calls[0]![1].get("intent")).toBe("reset");
    expect(confirm).toHaveBeenCalledTimes(2);
    await screen.findByText("The default subject and body are back.");
    expect((screen.getByLabelText("Subject") as HTMLInputElement).value).toBe("Default subject");
    expect((screen.getByLabelText("Body") as HTMLTextAreaElement).value).toBe("Default body");
  });
});
