import type { Mailer } from "./mailer.ts";

export interface ResendOptions {
  apiKey: string;
  from: string;
  fetch?: typeof fetch;
  endpoint?: string;
}

/**
 * Resend's HTTP API: one `fetch`, so it runs on Workers, Deno and Node alike.
 * Its Idempotency-Key header makes an outbox retry after a lost response safe.
 */
export function resendMailer(options: ResendOptions): Mailer {
  const send = options.fetch ?? fetch;
  const endpoint = options.endpoint ?? "https://api.resend.com/emails";
  return {
    async send(email, idempotencyKey) {
      const response = await send(endpoint, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${options.apiKey}`,
          "Content-Type": "application/json",
          "Idempotency-Key": idempotencyKey,
        },
        body: JSON.stringify({
          from: options.from,
          to: [email.to],
          subject: email.subject,
          text: email.text,
          html: email.html,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        throw new Error(`Resend answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
      }
    },
  };
}
