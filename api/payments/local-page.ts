import { createHash } from "node:crypto";

const STYLESHEET = `
body { font: 16px/1.5 system-ui, sans-serif; max-width: 28rem; margin: 4rem auto; padding: 0 1rem; color: #1a1a1a; }
.card { border: 1px solid #ccc; border-radius: .5rem; padding: 1.5rem; }
.amount { font-size: 2rem; font-weight: 700; margin: .5rem 0 1rem; }
.note { color: #555; font-size: .875rem; }
button { font: inherit; padding: .6rem 1.2rem; border-radius: .4rem; border: 1px solid #1a1a1a; cursor: pointer; }
button[value=paid] { background: #1a1a1a; color: #fff; }
form { display: flex; gap: .75rem; }
`;

/** The page's only inline content, for the API's Content-Security-Policy (api/app.ts). */
export const LOCAL_CHECKOUT_STYLE_SOURCE = `'sha256-${createHash("sha256").update(STYLESHEET).digest("base64")}'`;

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function price(cents: number, currency: string): string {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(cents / 100);
}

/** The local provider's checkout page: what Stripe's hosted page is in production, with fake money. */
export function localCheckoutPage(
  options: { sessionId: string; courseTitle: string; amountCents: number; currency: string },
): string {
  const action = `/api/v1/payments/local/checkout/${encodeURIComponent(options.sessionId)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<title>Local checkout — Lectern</title>
<style>${STYLESHEET}</style>
</head>
<body>
<main class="card">
<h1>Local checkout</h1>
<p>${escape(options.courseTitle)}</p>
<p class="amount">${escape(price(options.amountCents, options.currency))}</p>
<form method="post" action="${escape(action)}">
<button type="submit" name="outcome" value="paid">Pay</button>
<button type="submit" name="outcome" value="cancelled">Cancel</button>
</form>
<p class="note">This is the embedded default's payment provider: no money moves. Paying sends the app a webhook signed like Stripe's.</p>
</main>
</body>
</html>`;
}
