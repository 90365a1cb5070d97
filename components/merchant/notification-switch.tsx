import type { NotificationEvent, NotificationRecipient } from "@/lib/notifications/catalog";

/** A template's on/off switch: a one-button form, so it works before any script has loaded. */
export function NotificationSwitch({ action, eventType, recipient, active, label }: {
  action: (formData: FormData) => Promise<void>;
  eventType: NotificationEvent;
  recipient: NotificationRecipient;
  active: boolean;
  label: string;
}) {
  return (
    <form action={action}>
      <input type="hidden" name="eventType" value={eventType} />
      <input type="hidden" name="recipient" value={recipient} />
      <input type="hidden" name="active" value={String(!active)} />
      <button
        type="submit"
        role="switch"
        aria-checked={active}
        aria-label={label}
        className="group inline-flex min-h-10 items-center gap-2 rounded-lg px-1 text-sm font-medium"
      >
        <span
          aria-hidden
          className={`relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors ${active ? "bg-emerald-600" : "bg-zinc-300 dark:bg-zinc-700"} group-focus-visible:outline-2 group-focus-visible:outline-offset-2 group-focus-visible:outline-indigo-600`}
        >
          <span className={`inline-block size-5 rounded-full bg-white shadow transition-transform ${active ? "translate-x-5.5" : "translate-x-0.5"}`} />
        </span>
        <span className="w-7 text-left text-zinc-600 dark:text-zinc-400">{active ? "On" : "Off"}</span>
      </button>
    </form>
  );
}
