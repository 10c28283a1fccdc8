/**
 * bench.svg, drawn by hand (no chart library): horizontal bars for the
 * highest journey rate held at the old p99 against its 157 req/s, p99 latencies
 * against its 51 ms and 35 ms (log scale: they span orders of magnitude), and
 * the app's share of a bare Hono handler's throughput on a cached course read
 * (API and page) against 60 %.
 */
import { OLD_PLATFORM } from "./report.ts";
import { type BenchSummary, ladder, TARGETS } from "./summary.ts";

interface Bar {
  label: string;
  value: number;
  /** Drawn grey: the old platform's figure. */
  old?: boolean;
}

interface Panel {
  title: string;
  bars: Bar[];
  scale: "linear" | "log";
  /** Dashed reference lines. */
  marks: { value: number; label: string }[];
  format(value: number): string;
}

const WIDTH = 760;
const LABEL_WIDTH = 230;
const PLOT_WIDTH = 420;
const BAR_HEIGHT = 18;
const BAR_GAP = 6;
const COLORS = { old: "#9aa0a6", workerd: "#f38020", deno: "#1f6feb" };

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function colorOf(bar: Bar): string {
  if (bar.old) return COLORS.old;
  return bar.label.includes("deno") ? COLORS.deno : COLORS.workerd;
}

/** Draws one panel from `top`; returns its SVG and height. */
function drawPanel(panel: Panel, top: number): { svg: string[]; height: number } {
  const values = [...panel.bars.map((bar) => bar.value), ...panel.marks.map((mark) => mark.value)]
    .filter((value) => Number.isFinite(value) && value > 0);
  const max = Math.max(...values, 1);
  const logMin = 0; // 1 ms
  const logMax = Math.ceil(Math.log10(max));
  const x = (value: number) => {
    if (!Number.isFinite(value) || value <= 0) return 0;
    if (panel.scale === "linear") return (value / (max * 1.08)) * PLOT_WIDTH;
    return (Math.max(0, Math.log10(value) - logMin) / Math.max(1, logMax - logMin)) * PLOT_WIDTH;
  };
  const svg = [`<text x="12" y="${top + 16}" class="title">${escape(panel.title)}</text>`];
  let y = top + 30;
  for (const bar of panel.bars) {
    const width = x(bar.value);
    svg.push(
      `<text x="${LABEL_WIDTH - 8}" y="${y + 13}" class="label" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${colorOf(bar)}"/>`,
      `<text x="${LABEL_WIDTH + width + 6}" y="${y + 13}" class="value">${escape(panel.format(bar.value))}</text>`,
    );
    y += BAR_HEIGHT + BAR_GAP;
  }
  const plotTop = top + 26;
  for (const mark of panel.marks) {
    const markX = LABEL_WIDTH + x(mark.value);
    svg.push(
      `<line x1="${markX.toFixed(1)}" y1="${plotTop}" x2="${markX.toFixed(1)}" y2="${y}" class="mark"/>`,
      `<text x="${markX.toFixed(1)}" y="${y + 12}" class="mark-label" text-anchor="middle">${
        escape(mark.label)
      }</text>`,
    );
  }
  if (panel.scale === "log") {
    for (let power = logMin; power <= logMax; power++) {
      const tickX = LABEL_WIDTH + x(10 ** power);
      svg.push(`<text x="${tickX.toFixed(1)}" y="${y + 26}" class="tick" text-anchor="middle">${10 ** power}</text>`);
    }
  }
  return { svg, height: y - top + (panel.scale === "log" ? 36 : 22) };
}

function panels(summary: BenchSummary): Panel[] {
  const journeys = summary.servers.flatMap((result) =>
    result.journeyRates?.length ? [{ server: result.server, runs: result.journeyRates }] : []
  );
  const searches = summary.servers.flatMap((result) =>
    result.search.map((search) => ({ server: result.server, ...search }))
  );
  const overheads = summary.servers.flatMap((result) => [
    ...(result.overhead ? [{ label: `${result.server}, API`, ratio: result.overhead.ratio }] : []),
    ...(result.pageOverhead ? [{ label: `${result.server}, page`, ratio: result.pageOverhead.ratio }] : []),
  ]);
  const result: Panel[] = [];
  if (journeys.length > 0) {
    result.push({
      title: `Learner journey: highest rate at p99 ≤ ${OLD_PLATFORM.p99Ms} ms (req/s)`,
      scale: "linear",
      bars: [
        { label: "old platform", value: OLD_PLATFORM.rps, old: true },
        ...journeys.map((r) => ({
          label: `Lectern on ${r.server}`,
          value: ladder(r.runs).bestMultiple * OLD_PLATFORM.rps,
        })),
      ],
      marks: [{
        value: TARGETS.throughputMultiple * OLD_PLATFORM.rps,
        label: `target ${TARGETS.throughputMultiple}× = ${TARGETS.throughputMultiple * OLD_PLATFORM.rps}`,
      }, {
        value: TARGETS.throughputGoal * OLD_PLATFORM.rps,
        label: `goal ${TARGETS.throughputGoal}×`,
      }],
      format: (value) => `${value.toFixed(0)} req/s`,
    });
  }
  if (journeys.length > 0 || searches.length > 0) {
    result.push({
      title: "p99 latency (ms, log scale)",
      scale: "log",
      bars: [
        ...(journeys.length > 0 ? [{ label: "journey: old platform", value: OLD_PLATFORM.p99Ms, old: true }] : []),
        ...journeys.map((r) => ({
          label: `journey at ${OLD_PLATFORM.rps}/s: ${r.server}`,
          value: r.runs[0]!.latency.p99,
        })),
        ...(searches.length > 0 ? [{ label: "search: old platform", value: OLD_PLATFORM.searchP99Ms, old: true }] : []),
        ...searches.map((s) => ({ label: `search ${s.courses / 1000}k: ${s.server}`, value: s.run.latency.p99 })),
      ],
      marks: [],
      format: (
        value,
      ) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms` : "no answers"),
    });
  }
  if (overheads.length > 0) {
    result.push({
      title: "Cached course read: the app's throughput as % of a bare Hono handler",
      scale: "linear",
      bars: overheads.map((r) => ({ label: r.label, value: r.ratio * 100 })),
      marks: [{ value: TARGETS.overheadShare * 100, label: `target ${TARGETS.overheadShare * 100} %` }, {
        value: 100,
        label: "bare",
      }],
      format: (value) => `${value.toFixed(0)} %`,
    });
  }
  return result;
}

export function benchChart(summary: BenchSummary): string {
  const body: string[] = [];
  let top = 8;
  for (const panel of panels(summary)) {
    const drawn = drawPanel(panel, top);
    body.push(...drawn.svg);
    top += drawn.height + 14;
  }
  const { machine } = summary;
  const command = summary.command.length > 120 ? `${summary.command.slice(0, 119)}…` : summary.command;
  body.push(
    `<text x="12" y="${top + 6}" class="tick">${
      escape(`${summary.startedAt.slice(0, 10)}, commit ${machine.commit}, ${machine.nproc} cores (${machine.cpu})`)
    }</text>`,
    `<text x="12" y="${top + 22}" class="tick">${escape(command)}</text>`,
  );
  top += 16;
  const height = top + 18;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
    `role="img" aria-label="Lectern benchmark against the old platform">`,
    "<style>",
    "text { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; fill: #24292f; }",
    ".title { font-size: 14px; font-weight: 600; } .label, .value { font-size: 12px; }",
    ".tick, .mark-label { font-size: 11px; fill: #57606a; }",
    ".mark { stroke: #cf222e; stroke-dasharray: 4 3; stroke-width: 1.5; }",
    "</style>",
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
