/*! Crypto Checkout embed.
 *   <script src="https://HOST/embed.js" async></script>
 *   <button data-crypto-checkout="https://HOST/pay/link/LINK_ID">Pay with crypto</button>
 * Opens /pay/… URLs of this script's own origin (only) in an overlay iframe, with ?embed=1.
 * Events on the trigger (bubbling): crypto-checkout:paid {invoiceId}, crypto-checkout:closed {invoiceId, paid}.
 * The checkout in the iframe posts {type:"crypto-checkout:paid", invoiceId} or {type:"crypto-checkout:close"}
 * to its parent. API: CryptoCheckout.open(url, trigger?) and .close()
 */
(() => {
  "use strict";
  const w = window;
  const d = document;
  const P = "crypto-checkout";
  if (w.CryptoCheckout) return;
  const src = d.currentScript && d.currentScript.src;
  const origin = src ? new URL(src).origin : "";
  if (!/^https?:/.test(origin)) return console.warn(`[${P}] load embed.js with <script src>`);

  const CSS =
    ".ccx-o{position:fixed;inset:0;z-index:2147483647;display:flex;align-items:center;justify-content:center;padding:16px;background:rgba(0,0,0,.5)}" +
    ".ccx-d{display:flex;flex-direction:column;width:420px;max-width:100%;height:min(720px,90vh);overflow:hidden;border-radius:16px;background:#fff;box-shadow:0 24px 64px rgba(0,0,0,.35)}" +
    ".ccx-h{display:flex;flex:none;align-items:center;justify-content:space-between;height:44px;padding:0 4px 0 14px;border-bottom:1px solid #e4e4e7;color:#52525b;font:500 13px system-ui,sans-serif}" +
    ".ccx-x{width:36px;height:36px;border:0;border-radius:8px;background:none;color:inherit;font:24px/1 system-ui,sans-serif;cursor:pointer}" +
    ".ccx-x:hover{background:rgba(127,127,127,.2)}.ccx-x:focus-visible{outline:2px solid #6366f1;outline-offset:-2px}" +
    ".ccx-i{flex:1;width:100%;border:0}" +
    "@media (max-width:479px){.ccx-o{padding:0}.ccx-d{width:100%;height:100%;border-radius:0}}" +
    "@media (prefers-color-scheme:dark){.ccx-d{background:#18181b}.ccx-h{border-color:#27272a;color:#d4d4d8}}";

  let open = null;

  // The iframe URL for a trigger's value, or "" unless it is a checkout on our origin.
  const checkoutUrl = (raw) => {
    let url;
    try {
      url = new URL(String(raw || "").trim(), w.location.href);
    } catch (err) {
      return "";
    }
    if (url.origin !== origin || !/^\/pay\/(link\/)?[\w-]+\/?$/.test(url.pathname)) return "";
    url.searchParams.set("embed", "1");
    url.hash = "";
    return url.href;
  };

  const emit = (target, name, detail) =>
    (target && target.isConnected ? target : d).dispatchEvent(new w.CustomEvent(`${P}:${name}`, { detail, bubbles: true }));

  const el = (tag, attrs) => {
    const node = d.createElement(tag);
    for (const k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  };

  function close() {
    if (!open) return;
    const o = open;
    open = null;
    o.overlay.remove();
    const s = [d.documentElement.style, d.body.style];
    [s[0].overflow, s[1].overflow, s[1].paddingRight] = o.saved;
    if (o.trigger && o.trigger.isConnected && o.trigger.focus) o.trigger.focus();
    emit(o.trigger, "closed", { invoiceId: o.invoiceId, paid: !!o.invoiceId });
  }

  function show(raw, trigger) {
    const url = checkoutUrl(raw);
    if (!url) return console.warn(`[${P}] refused ${raw}: only ${origin}/pay/… URLs open`), false;
    if (open) return false;
    (d.getElementById("ccx-css") || d.head.appendChild(el("style", { id: "ccx-css" }))).textContent = CSS;

    const overlay = el("div", { class: "ccx-o" });
    const dialog = el("div", { class: "ccx-d", role: "dialog", "aria-modal": "true", "aria-label": "Checkout" });
    const head = el("div", { class: "ccx-h" });
    const button = el("button", { class: "ccx-x", type: "button", "aria-label": "Close checkout" });
    const frame = el("iframe", { class: "ccx-i", title: "Checkout", allow: "clipboard-write", src: url });
    head.textContent = `Secure checkout · ${new URL(origin).host}`;
    button.textContent = "×";
    head.append(button);
    dialog.append(head, frame);
    overlay.append(dialog);
    overlay.addEventListener("click", (e) => e.target === overlay && close());
    button.addEventListener("click", close);

    const html = d.documentElement.style;
    const body = d.body.style;
    const saved = [html.overflow, body.overflow, body.paddingRight];
    const gap = w.innerWidth - d.documentElement.clientWidth; // the scrollbar's width: no layout shift
    if (gap > 0) body.paddingRight = `${gap}px`;
    html.overflow = body.overflow = "hidden";
    d.body.append(overlay);
    open = { overlay, frame, button, trigger: trigger || null, invoiceId: null, saved };
    button.focus();
    return true;
  }

  d.addEventListener("click", (e) => {
    const t = e.target && e.target.closest && e.target.closest("[data-crypto-checkout]");
    if (!t || e.defaultPrevented || open) return;
    if (t.tagName === "A" && (e.metaKey || e.ctrlKey || e.shiftKey || e.button)) return; // new tab
    if (show(t.getAttribute("data-crypto-checkout"), t)) e.preventDefault();
  });

  d.addEventListener("keydown", (e) => {
    if (!open) return;
    if (e.key === "Escape") close();
    else if (e.key === "Tab" && e.shiftKey && d.activeElement === open.button) open.frame.focus();
    else return;
    e.preventDefault();
  });

  // Focus trap: focus outside the dialog goes back to its close button.
  d.addEventListener("focusin", (e) => open && !open.overlay.contains(e.target) && open.button.focus());

  w.addEventListener("message", (e) => {
    const m = e.data;
    if (!open || e.origin !== origin || e.source !== open.frame.contentWindow || !m) return;
    if (m.type === `${P}:paid` && typeof m.invoiceId === "string" && /^[\w-]{1,100}$/.test(m.invoiceId) && open.invoiceId !== m.invoiceId) {
      open.invoiceId = m.invoiceId;
      emit(open.trigger, "paid", { invoiceId: m.invoiceId });
    } else if (m.type === `${P}:close`) close();
  });

  w.CryptoCheckout = { open: show, close };
})();
