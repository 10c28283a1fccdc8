import { readFileSync } from "node:fs";

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}

/** Adds up Vitest JSON reports into the one line CI reads: "N passed, N failed". */
let passed = 0;
let failed = 0;
let skipped = 0;
const files = process.argv.slice(2);
for (const file of files) {
  const report = JSON.parse(readFileSync(file, "utf8")) as VitestReport;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
if (files.length < 3) {
  // A suite that crashed before reporting must not read as green.
  console.log(`expected 3 reports, found ${files.length}`);
  failed += 3 - files.length;
}
console.log(
  skipped > 0 ? `${passed} passed, ${failed} failed, ${skipped} skipped` : `${passed} passed, ${failed} failed`,
);
process.exit(failed > 0 ? 1 : 0);
