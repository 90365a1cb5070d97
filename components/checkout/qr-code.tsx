"use client";

import QRCode from "qrcode";
import { useEffect, useState } from "react";
import { QR_SVG_OPTIONS } from "./types";


type Rendered = { value: string; svg: string | null };

/**
 * A scannable QR code: always black modules on a white tile (also in dark mode), so wallets can
 * read it. Pass `svg` — pre-rendered on the server for the same `value` with
 * `QRCode.toString(value, QR_SVG_OPTIONS)` — to show it on first paint; otherwise it is generated
 * in the browser after mount.
 */
export function QrCode({ value, size = 224, svg }: { value: string; size?: number; svg?: string }) {
  const [rendered, setRendered] = useState<Rendered | null>(null);

  useEffect(() => {
    if (svg) return;
    let cancelled = false;
    QRCode.toString(value, QR_SVG_OPTIONS).then(
      (markup) => !cancelled && setRendered({ value, svg: markup }),
      () => !cancelled && setRendered({ value, svg: null }),
    );
    return () => {
      cancelled = true;
    };
  }, [value, svg]);

  const markup = svg ?? (rendered?.value === value ? rendered.svg : undefined);

  return (
    <div
      role="img"
      aria-label="QR code for the payment"
      aria-busy={markup === undefined ? true : undefined}
      data-testid="payment-qr"
      data-value={value}
      className="rounded-xl bg-white p-2 shadow-sm ring-1 ring-zinc-200 dark:ring-zinc-700"
      style={{ width: size, maxWidth: "100%" }}
    >
      {markup ? (
        <div className="aspect-square w-full [&>svg]:block [&>svg]:size-full" dangerouslySetInnerHTML={{ __html: markup }} />
      ) : (
        <div className="grid aspect-square w-full place-items-center rounded-lg bg-zinc-100 text-center text-xs text-zinc-500">
          {markup === null ? "QR code unavailable — copy the address and amount below" : ""}
        </div>
      )}
    </div>
  );
}
