import { SIGNATURE_HEADER } from "@/lib/webhooks/signature";
import { VERIFY_SNIPPET } from "@/lib/webhooks/verify-snippet";



/** How a receiver checks a delivery: a few lines of Node, matching lib/webhooks/signature.ts. */
export function SignatureSnippet() {
  return (
    <section aria-labelledby="verify" className="space-y-2 rounded-xl border border-zinc-200 bg-white p-5 text-sm dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="verify" className="font-semibold">Verify a delivery</h2>
      <p className="text-zinc-600 dark:text-zinc-400">
        Each request carries <code className="font-mono text-xs">{SIGNATURE_HEADER}: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>, an HMAC-SHA256 with your
        endpoint&apos;s secret over <code className="font-mono text-xs">t + &quot;.&quot; + body</code>. Check it against the raw body, reject old timestamps, and
        de-duplicate on the event <code className="font-mono text-xs">id</code> (also in <code className="font-mono text-xs">CryptoCheckout-Event-Id</code>):
        a delivery may arrive more than once. Answer 2xx quickly; 408, 429 and 5xx are retried, other answers are not, and redirects are not followed.
      </p>
      <pre className="overflow-x-auto rounded-lg bg-zinc-950 p-3 text-xs leading-relaxed text-zinc-100 dark:ring-1 dark:ring-zinc-800">{VERIFY_SNIPPET}</pre>
    </section>
  );
}
