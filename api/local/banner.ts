import type { DemoAccount } from "./database.ts";

export interface BannerFacts {
  url: string;
  mode: "start" | "dev";
  database: string;
  cache: string;
  demoAccounts: DemoAccount[] | undefined;
  secondsToReady: number;
}

export function banner(facts: BannerFacts): string {
  const lines = [
    "",
    `  Lectern is ready at ${facts.url}  (${facts.secondsToReady.toFixed(1)} s)`,
    "",
    `  mode      ${facts.mode === "dev" ? "astro dev (live reload)" : "wrangler dev (production build)"}`,
    `  database  ${facts.database}`,
    `  cache     ${facts.cache}`,
    `  health    ${facts.url}/health/ready`,
  ];
  if (facts.demoAccounts?.length) {
    const roleWidth = Math.max(...facts.demoAccounts.map((account) => account.role.length));
    const emailWidth = Math.max(...facts.demoAccounts.map((account) => account.email.length));
    lines.push("", "  Demo accounts:");
    for (const account of facts.demoAccounts) {
      lines.push(`    ${account.role.padEnd(roleWidth)}  ${account.email.padEnd(emailWidth)}  ${account.password}`);
    }
  }
  lines.push("", "  Ctrl-C stops everything.", "");
  return lines.join("\n");
}
