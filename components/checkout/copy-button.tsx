"use client";

import { useEffect, useRef, useState } from "react";

const COPIED_MS = 2000;

type CopyState = "idle" | "copied" | "failed";

/** Copies via execCommand on a temporary off-screen textarea: for old browsers and non-secure contexts. */
function legacyCopy(text: string): boolean {
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const textarea = document.createElement("textarea");
  textarea.value = text;
  textarea.setAttribute("readonly", "");
  textarea.setAttribute("aria-hidden", "true");
  textarea.style.position = "fixed";
  textarea.style.top = "0";
  textarea.style.left = "-9999px";
  textarea.style.opacity = "0";
  document.body.appendChild(textarea);
  try {
    textarea.focus({ preventScroll: true });
    textarea.select();
    textarea.setSelectionRange(0, text.length);
    return typeof document.execCommand === "function" && document.execCommand("copy");
  } catch {
    return false;
  } finally {
    textarea.remove();
    active?.focus();
  }
}

async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== "undefined" && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission denied or not a secure context: fall through to the legacy path.
    }
  }
  return legacyCopy(text);
}

/**
 * A button that copies `value`. `label` names what is copied ("address", "amount"): the button's
 * accessible name is "Copy <label>" ("Copied <label>" for 2 s after copying); the visible text is
 * "Copy", then "Copied".
 */
export function CopyButton({ value, label, className = "" }: { value: string; label: string; className?: string }) {
  const [state, setState] = useState<CopyState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  async function onClick() {
    const ok = await copyText(value);
    clearTimeout(timer.current);
    setState(ok ? "copied" : "failed");
    timer.current = setTimeout(() => setState("idle"), COPIED_MS);
  }

  return (
    <>
      <button
        type="button"
        onClick={onClick}
        className={`inline-flex min-h-11 min-w-11 shrink-0 items-center justify-center gap-1.5 rounded-lg border px-3 text-sm font-medium transition-colors ${
          state === "copied"
            ? "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-300"
            : "border-zinc-300 bg-white text-zinc-700 hover:bg-zinc-50 active:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:bg-zinc-800"
        } ${className}`}
      >
        {state === "copied" ? <CheckIcon /> : <CopyIcon />}
        {/* The accessible name contains the visible text ("Copy address", "Copied address"), as WCAG 2.5.3 asks. */}
        <span>{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}</span>
        {" "}
        <span className="sr-only">{label}</span>
      </button>
      <span role="status" className="sr-only">
        {state === "copied" ? `${label[0]?.toUpperCase() ?? ""}${label.slice(1)} copied to clipboard` : ""}
        {state === "failed" ? `Could not copy the ${label}; select it and copy it manually` : ""}
      </span>
    </>
  );
}

function CopyIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" className="size-4">
      <rect x="7" y="7" width="10" height="10" rx="2" />
      <path d="M13 7V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v6a2 2 0 0 0 2 2h2" />
    </svg>
  );
}

function CheckIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="2" className="size-4">
      <path d="m4.5 10.5 3.5 3.5 7.5-8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
