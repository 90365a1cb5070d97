import nodemailer from "nodemailer";
import { settings } from "@/lib/config";

/** An email as the app sends it: always both a plain-text and an HTML body. */
export type MailMessage = { to: string; subject: string; text: string; html: string };

/** `messageId`: the Message-ID the transport gave the mail, when it reports one. */
export type Mailer = { send(message: MailMessage): Promise<void | { messageId?: string }> };

/**
 * Short timeouts (ms): mail is sent from the watcher's tick, which must not hang on a dead server.
 * Given as URL parameters, the only options nodemailer reads along with a URL; the URL may set its own.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** A mailer over SMTP (smtp:// or smtps://, credentials in the URL), sending as `from`. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const url = new URL(smtpUrl);
  for (const [key, ms] of Object.entries(TIMEOUTS)) if (!url.searchParams.has(key)) url.searchParams.set(key, String(ms));
  const transport = nodemailer.createTransport(url.toString(), { from });
  return {
    async send(message) {
      try {
        const info = (await transport.sendMail({ from, ...message })) as { messageId?: unknown };
        return { messageId: typeof info.messageId === "string" ? info.messageId : undefined };
      } catch (error) {
        throw new MailError(error, smtpUrl);
      }
    },
  };
}

let configured: { url: string; from: string; mailer: Mailer } | undefined;

/** The mailer SMTP_URL and MAIL_FROM configure, or null when SMTP_URL is unset. */
export function configuredMailer(): Mailer | null {
  const { SMTP_URL: url, MAIL_FROM: from } = settings();
  if (!url) return null;
  if (configured?.url !== url || configured.from !== from) configured = { url, from, mailer: createSmtpMailer(url, from) };
  return configured.mailer;
}

/**
 * A failed send, with a message safe to store and show to an admin: the SMTP error's code and
 * text, with the URL's user name and password cut out should the server have echoed them.
 */
export class MailError extends Error {
  constructor(cause: unknown, smtpUrl: string) {
    super(safeMessage(cause, smtpUrl));
    this.name = "MailError";
  }
}

function safeMessage(cause: unknown, smtpUrl: string): string {
  const code = (cause as { code?: unknown })?.code;
  let text = cause instanceof Error ? cause.message : String(cause);
  const url = new URL(smtpUrl);
  for (const secret of [url.password, url.username].map((s) => decodeURIComponent(s)).filter((s) => s.length > 0)) {
    text = text.split(secret).join("***");
  }
  return `${typeof code === "string" ? `${code}: ` : ""}${text}`.slice(0, 500);
}
