"use client";

import { useActionState } from "react";
import type { StatusFormState } from "@/app/admin/(protected)/accounts/actions";
import { FormAlert, secondaryButtonClass } from "@/components/ui/form";
import type { AccountStatus } from "@/lib/domain";

type Props = {
  action: (state: StatusFormState, formData: FormData) => Promise<StatusFormState>;
  accountId: string;
  status: AccountStatus;
};

/** The status changes the domain allows from here (lib/domain/account.ts), one button each. */
const CHOICES: Record<AccountStatus, { to: AccountStatus; label: string; relist?: boolean; confirm?: string }[]> = {
  AVAILABLE: [
    { to: "MAINTENANCE", label: "Take off sale (maintenance)" },
    { to: "SOLD", label: "Mark as sold", confirm: "Mark this account as sold outside the store? It leaves the catalog." },
  ],
  MAINTENANCE: [{ to: "AVAILABLE", label: "Put on sale (available)" }],
  SOLD: [{ to: "MAINTENANCE", label: "Relist (back to maintenance)", relist: true, confirm: "Relist this sold account? Check it before putting it on sale again." }],
};

export function AccountStatusForm({ action, accountId, status }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <div className="space-y-3">
      <FormAlert message={state.error} />
      <FormAlert message={state.success} tone="success" />
      <div className="flex flex-wrap gap-2">
        {CHOICES[status].map((choice) => (
          <form
            key={choice.to}
            action={formAction}
            onSubmit={(e) => {
              if (choice.confirm && !window.confirm(choice.confirm)) e.preventDefault();
            }}
          >
            <input type="hidden" name="accountId" value={accountId} />
            <input type="hidden" name="to" value={choice.to} />
            {choice.relist && <input type="hidden" name="relist" value="1" />}
            <button type="submit" disabled={pending} className={secondaryButtonClass}>
              {choice.label}
            </button>
          </form>
        ))}
      </div>
    </div>
  );
}
