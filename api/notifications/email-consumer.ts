import type { EmailJob } from "../deps.ts";
import { deliverOutbox, type DeliveryDeps } from "../lib/mail/outbox.ts";

/** The part of a Cloudflare Queue message the consumer uses. */
export interface QueueMessage<Body> {
  readonly body: Body;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/**
 * The Queue consumer for email jobs. Delivery goes through the outbox's
 * lease, so a redelivered message never sends an email twice; a failed send
 * is retried with backoff, and after the queue's max_retries the message
 * lands in the dead-letter queue (the outbox row stays, marked with its error).
 */
export async function consumeEmailJobs(deps: DeliveryDeps, messages: readonly QueueMessage<EmailJob>[]): Promise<void> {
  for (const message of messages) {
    const { failed } = await deliverOutbox(deps, message.body.emailIds);
    if (failed > 0) message.retry({ delaySeconds: Math.min(3600, 30 * 2 ** (message.attempts - 1)) });
    else message.ack();
  }
}
