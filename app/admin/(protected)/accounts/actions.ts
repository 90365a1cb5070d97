"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { findAdminAccount } from "@/lib/accounts/admin-queries";
import { changeAccountStatus, createAccount, isAccountStatusValue, parseAccountForm, updateAccount } from "@/lib/accounts/service";
import { requireAdmin } from "@/lib/auth/current-admin";
import { DomainError } from "@/lib/domain";

export type AccountFormState = {
  error?: string;
  success?: string;
  fieldErrors?: Record<string, string>;
  /** What was typed, to put back in the form after an error; never the credentials. */
  values?: Record<string, string>;
  /** The account version the form now edits (after a successful save). */
  version?: string;
};

const TEXT_FIELDS = ["name", "displayName", "price", "priceCurrency", "instructions", "features", "limitations", "regions"] as const;

/** The credentials are read but never echoed back: after an error the admin types them again. */
function readForm(formData: FormData) {
  const raw: Record<string, string> = {};
  for (const f of [...TEXT_FIELDS, "accessKeyId", "secretAccessKey"]) raw[f] = String(formData.get(f) ?? "");
  const values = Object.fromEntries(TEXT_FIELDS.map((f) => [f, raw[f]!]));
  return { raw, values };
}

function failure(error: unknown, values?: Record<string, string>): AccountFormState {
  if (error instanceof DomainError) return { error: error.message, values };
  throw error;
}

export async function createAccountAction(_prev: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const admin = await requireAdmin("/admin/accounts/new");
  const { raw, values } = readForm(formData);
  const parsed = parseAccountForm(raw);
  if (!parsed.ok) return { fieldErrors: parsed.fieldErrors, values };
  const status = formData.get("initialStatus") === "AVAILABLE" ? "AVAILABLE" : "MAINTENANCE";
  let id: string;
  try {
    id = await createAccount(await getDb(), parsed.input, { adminId: admin.id }, { status });
  } catch (error) {
    return failure(error, values);
  }
  redirect(`/admin/accounts/${id}?created=1`);
}

export async function updateAccountAction(_prev: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const accountId = String(formData.get("accountId") ?? "");
  const admin = await requireAdmin(`/admin/accounts/${accountId}`);
  const { raw, values } = readForm(formData);
  const parsed = parseAccountForm(raw);
  if (!parsed.ok) return { fieldErrors: parsed.fieldErrors, values };
  const version = new Date(String(formData.get("version") ?? ""));
  try {
    const db = await getDb();
    const changes = await updateAccount(db, accountId, parsed.input, { adminId: admin.id }, {
      expectedUpdatedAt: Number.isNaN(version.getTime()) ? undefined : version,
    });
    revalidatePath(`/admin/accounts/${accountId}`);
    const fresh = await findAdminAccount(db, accountId);
    return changes.length === 0
      ? { success: "Nothing changed.", values, version: fresh?.updatedAt.toISOString() }
      : { success: `Saved: ${changes.map(humanField).join(", ")}.`, values, version: fresh?.updatedAt.toISOString() };
  } catch (error) {
    return failure(error, values);
  }
}

const FIELD_LABELS: Record<string, string> = {
  name: "name",
  displayName: "display name",
  priceMinor: "price",
  priceCurrency: "currency",
  instructions: "instructions",
  features: "features",
  limitations: "limitations",
  regions: "regions",
  awsCredentials: "AWS credentials",
};
const humanField = (f: string) => FIELD_LABELS[f] ?? f;

export type StatusFormState = { error?: string; success?: string };

export async function changeStatusAction(_prev: StatusFormState, formData: FormData): Promise<StatusFormState> {
  const accountId = String(formData.get("accountId") ?? "");
  const admin = await requireAdmin(`/admin/accounts/${accountId}`);
  const to = formData.get("to");
  if (!isAccountStatusValue(to)) return { error: "Choose a status." };
  try {
    const { from } = await changeAccountStatus(await getDb(), accountId, to, { adminId: admin.id }, { relist: formData.get("relist") === "1" });
    revalidatePath(`/admin/accounts/${accountId}`);
    return { success: `Status changed from ${from.toLowerCase()} to ${to.toLowerCase()}.` };
  } catch (error) {
    if (error instanceof DomainError && error.code === "account.illegal_transition") {
      return { error: "That status change is not allowed: a sold account can only go back to maintenance (relist), and an account in maintenance must be made available before it is sold." };
    }
    return failure(error);
  }
}
