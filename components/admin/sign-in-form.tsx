"use client";

import { useActionState, useEffect, useRef } from "react";
import type { SignInState } from "@/app/admin/sign-in/actions";

type Props = {
  action: (state: SignInState, formData: FormData) => Promise<SignInState>;
  callbackUrl: string;
};

const inputClass =
  "mt-1.5 block w-full rounded-lg border border-zinc-300 bg-white px-3 py-2 text-base shadow-xs sm:text-sm aria-invalid:focus:ring-rose-500/30 placeholder:text-zinc-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/30 aria-invalid:border-rose-500 dark:border-zinc-700 dark:bg-zinc-950";

export function SignInForm({ action, callbackUrl }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const formRef = useRef<HTMLFormElement>(null);
  // After a failed attempt, put the keyboard on the first field to fix (or the password).
  useEffect(() => {
    const form = formRef.current;
    if (!form || (!state.error && !state.fieldErrors)) return;
    const target = form.querySelector<HTMLInputElement>('[aria-invalid="true"]') ?? form.querySelector<HTMLInputElement>("#password");
    target?.focus();
  }, [state]);
  return (
    <form ref={formRef} action={formAction} noValidate className="space-y-5">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {state.error && (
        <div role="alert" data-testid="form-error" className="rounded-lg border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-500/30 dark:bg-rose-500/10 dark:text-rose-200">
          {state.error}
        </div>
      )}
      <div>
        <label htmlFor="username" className="block text-sm font-medium">Username</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          defaultValue={state.username}
          aria-invalid={Boolean(state.fieldErrors?.username)}
          aria-describedby={state.fieldErrors?.username ? "username-error" : undefined}
          className={inputClass}
        />
        {state.fieldErrors?.username && (
          <p id="username-error" className="mt-1 text-sm text-rose-600 dark:text-rose-400">{state.fieldErrors.username}</p>
        )}
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={Boolean(state.fieldErrors?.password)}
          aria-describedby={state.fieldErrors?.password ? "password-error" : undefined}
          className={inputClass}
        />
        {state.fieldErrors?.password && (
          <p id="password-error" className="mt-1 text-sm text-rose-600 dark:text-rose-400">{state.fieldErrors.password}</p>
        )}
      </div>
      <button
        type="submit"
        disabled={pending}
        className="flex w-full items-center justify-center rounded-lg bg-indigo-600 px-3 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:cursor-wait disabled:opacity-70"
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
