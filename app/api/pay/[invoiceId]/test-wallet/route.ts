import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { invoices } from "@/db/schema";
import { jsonBody } from "@/lib/api/errors";
import { payWithTestWallet, runningDevChain } from "@/lib/chains/dev-chain";
import { isUuid } from "@/lib/invoices/queries";

export const dynamic = "force-dynamic";

function answer(status: number, body: unknown) {
  return new Response(jsonBody(body), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } });
}

/**
 * "Pay with test wallet": sends the amount still due from the local dev chain's funded account to
 * a TEST-mode Ethereum invoice's address. Exists only while this process runs the dev chain; a
 * live invoice, another network or a closed invoice is refused.
 */
export async function POST(_request: Request, { params }: { params: Promise<{ invoiceId: string }> }) {
  const chain = runningDevChain();
  if (!chain) return answer(404, { error: { code: "test_wallet.unavailable", message: "No local test chain runs here" } });
  const { invoiceId } = await params;
  if (!isUuid(invoiceId)) return answer(404, { error: { code: "invoice.not_found", message: "No such invoice" } });
  const db = await getDb();
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  if (!invoice) return answer(404, { error: { code: "invoice.not_found", message: "No such invoice" } });
  if (invoice.livemode || invoice.network !== "ethereum" || invoice.cryptoCurrency === "BTC") {
    return answer(403, { error: { code: "test_wallet.not_test_invoice", message: "Only test-mode Ethereum invoices can be paid with the test wallet" } });
  }
  if (invoice.status !== "pending" && invoice.status !== "partial") {
    return answer(409, { error: { code: "invoice.not_payable", message: `The invoice is ${invoice.status}` } });
  }
  const amount = invoice.cryptoAmount - invoice.amountReceived;
  const txHash = await payWithTestWallet(chain, { asset: invoice.cryptoCurrency, to: invoice.paymentAddress, amount });
  return answer(202, { txHash, amount });
}
