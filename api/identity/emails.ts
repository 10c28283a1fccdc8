import type { OutboxEmail } from "../lib/mail/outbox.ts";

/** Links are built from configuration (PUBLIC_URL), never from the request's Host header. */
function link(publicUrl: string, path: string, token: string): string {
  return `${publicUrl}${path}?token=${encodeURIComponent(token)}`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(
  to: string,
  subject: string,
  template: string,
  lines: string[],
  action?: { label: string; url: string },
) {
  const text = [...lines, ...(action ? ["", `${action.label}: ${action.url}`] : []), "", "— Lectern"].join("\n");
  const html = [
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    action ? `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>` : "",
    "<p>— Lectern</p>",
  ].join("");
  return { to, subject, template, text, html } satisfies OutboxEmail;
}

export function verificationEmail(publicUrl: string, user: { email: string; name: string }, token: string) {
  return render(user.email, "Confirm your email for Lectern", "verify_email", [
    `Hi ${user.name},`,
    "Confirm your email address to buy courses and publish your own. The link works for 24 hours.",
  ], { label: "Confirm my email", url: link(publicUrl, "/verify-email", token) });
}

export function alreadyRegisteredEmail(publicUrl: string, user: { email: string; name: string }) {
  return render(user.email, "You already have a Lectern account", "already_registered", [
    `Hi ${user.name},`,
    "Someone (hopefully you) tried to sign up with this email address, but you already have an account.",
    "If you forgot your password, you can reset it. If it was not you, you can ignore this email.",
  ], { label: "Reset my password", url: `${publicUrl}/forgot-password` });
}

export function passwordResetEmail(publicUrl: string, user: { email: string; name: string }, token: string) {
  return render(user.email, "Reset your Lectern password", "reset_password", [
    `Hi ${user.name},`,
    "Use the link below to choose a new password. It works once, for one hour.",
    "If you did not ask for this, ignore this email: your password stays as it is.",
  ], { label: "Choose a new password", url: link(publicUrl, "/reset-password", token) });
}

export function passwordChangedEmail(publicUrl: string, user: { email: string; name: string }) {
  return render(user.email, "Your Lectern password was changed", "password_changed", [
    `Hi ${user.name},`,
    "Your password was just changed and every device was signed out.",
    "If this was not you, reset your password now and contact us.",
  ], { label: "Reset my password", url: `${publicUrl}/forgot-password` });
}
