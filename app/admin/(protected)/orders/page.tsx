import type { Metadata } from "next";
import Link from "next/link";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { primaryButtonClass, secondaryButtonClass, SelectField } from "@/components/ui/form";
import { getDb } from "@/db";
import type { OrderStatus } from "@/db/schema";
import { requireAdmin } from "@/lib/auth/current-admin";
import { formatFiat, formatRelativeTime } from "@/lib/format";
import { isUuid } from "@/lib/invoices/queries";
import { MAX_EMAIL_ATTEMPTS } from "@/lib/orders/order-emails";
import { isOrderStatus, listOrdersForAdmin, type AdminOrderRow } from "@/lib/orders/queries";

export const metadata: Metadata = { title: "Orders · Admin", robots: { index: false } };

const PAGE_SIZE = 50;

const STATUS: Record<OrderStatus, { label: string; tone: BadgeTone }> = {
  reserved: { label: "Reserved", tone: "amber" },
  paid: { label: "Paid", tone: "green" },
  expired: { label: "Expired", tone: "neutral" },
  cancelled: { label: "Cancelled", tone: "neutral" },
  unfulfillable: { label: "Refund due", tone: "red" },
};

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() || null;

/** "?before=<created ISO>_<order id>": the page after the last row shown. Malformed is ignored. */
function parseBefore(raw: string | null): { createdAt: Date; id: string } | null {
  const [at, id] = raw?.split("_") ?? [];
  const createdAt = new Date(at ?? "");
  return id && isUuid(id) && !Number.isNaN(createdAt.getTime()) ? { createdAt, id } : null;
}

export default async function AdminOrdersPage({ searchParams }: { searchParams: Promise<Search> }) {
  await requireAdmin("/admin/orders");
  const params = await searchParams;
  const rawStatus = one(params.status);
  const status = isOrderStatus(rawStatus) ? rawStatus : null;
  const before = parseBefore(one(params.before));
  const rows = await listOrdersForAdmin(await getDb(), { status, before, limit: PAGE_SIZE });
  const last = rows.at(-1);
  const older = rows.length === PAGE_SIZE && last ? `?${new URLSearchParams({ ...(status ? { status } : {}), before: `${last.createdAt.toISOString()}_${last.id}` })}` : null;
  const now = new Date();

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Orders</h1>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Storefront purchases and the invoices that pay them, newest first.</p>
      </div>

      <form method="get" role="search" aria-label="Filter orders" className="flex flex-wrap items-end gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
        <SelectField
          name="status"
          label="Status"
          defaultValue={status ?? ""}
          options={[{ value: "", label: "Any" }, ...Object.entries(STATUS).map(([value, s]) => ({ value, label: s.label }))]}
          className="min-w-40"
        />
        <button type="submit" className={primaryButtonClass}>Apply</button>
        {(status || before) && <Link href="/admin/orders" className={secondaryButtonClass}>Clear</Link>}
      </form>

      {rows.length === 0 ? (
        <p className="rounded-xl border border-dashed border-zinc-300 p-10 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          {status ? "No order has this status." : "No order yet."}
        </p>
      ) : (
        <ul className="divide-y divide-zinc-200 overflow-hidden rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900" data-testid="admin-orders">
          {rows.map((order) => (
            <OrderItem key={order.id} order={order} now={now} />
          ))}
        </ul>
      )}

      {older && (
        <nav aria-label="Pages" className="flex justify-end">
          <Link className={secondaryButtonClass} href={`/admin/orders${older}`}>Older orders</Link>
        </nav>
      )}
    </div>
  );
}

function OrderItem({ order, now }: { order: AdminOrderRow; now: Date }) {
  const status = STATUS[order.status];
  return (
    <li className="grid gap-2 px-4 py-3 text-sm sm:grid-cols-[1fr_auto_auto] sm:items-center sm:gap-4" data-testid="admin-order">
      <div className="min-w-0">
        <Link href={`/admin/accounts/${order.account.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          {order.account.displayName}
        </Link>
        <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
          {order.buyerEmail ?? "no email"} · invoice{" "}
          <Link href={`/pay/${order.invoice.id}`} className="font-mono hover:underline">{order.invoice.id.slice(0, 8)}</Link>{" "}
          {order.invoice.status}
          {order.invoice.livemode ? "" : " (test)"}
        </p>
        {order.email.error && !order.email.sentAt && <p className="text-xs break-words text-rose-700 dark:text-rose-400">{order.email.error}</p>}
      </div>
      <div className="flex flex-wrap items-center gap-1.5">
        <Badge tone={status.tone}>{status.label}</Badge>
        <EmailBadge order={order} />
      </div>
      <div className="flex items-center justify-between gap-4 sm:block sm:text-right">
        <p className="font-medium tabular-nums">{formatFiat(order.price)}</p>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {order.paidAt ? `paid ${formatRelativeTime(order.paidAt, now)}` : `ordered ${formatRelativeTime(order.createdAt, now)}`}
        </p>
      </div>
    </li>
  );
}

/** Whether the buyer got the order link by email, and why not when they did not. */
function EmailBadge({ order }: { order: AdminOrderRow }) {
  const { email } = order;
  if (!order.buyerEmail) return null;
  if (email.sentAt) return <Badge tone="sky">Emailed</Badge>;
  if (!email.error) return order.status === "paid" ? <Badge tone="neutral">Email pending</Badge> : null;
  const final = email.attempts >= MAX_EMAIL_ATTEMPTS;
  return <Badge tone={final ? "red" : "amber"}>{final ? "Email not sent" : `Email retrying (${email.attempts}/${MAX_EMAIL_ATTEMPTS})`}</Badge>;
}
