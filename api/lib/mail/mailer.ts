export interface Email {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
}

/** Delivers one email. Throws when the provider refuses or cannot be reached, so the outbox retries. */
export interface Mailer {
  send(email: Email, idempotencyKey: string): Promise<void>;
}

/** The embedded default: the outbox table is the mailbox (GET /api/v1/dev/mail), nothing leaves the machine. */
export const outboxOnlyMailer: Mailer = {
  async send() {},
};
