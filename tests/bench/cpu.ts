import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU accounting from /proc, to tell what a run measured: how busy each core
 * was, and who used it — the server under test (its process groups), the load
 * generator, Postgres, and everything else on the machine (another test run
 * would skew the numbers; "other" shows it).
 */
export interface CpuSnapshot {
  cpus: { busy: number; total: number }[];
  /** Ticks of the processes in the given process groups (the server and its bridge). */
  serverTicks: number;
  loadTicks: number;
  postgresTicks: number;
}

/** Linux's USER_HZ, which /proc reports in; 100 on every mainstream distribution. */
const TICKS_PER_SECOND = 100;

function perCpu(): CpuSnapshot["cpus"] {
  return readFileSync("/proc/stat", "utf8")
    .split("\n")
    .filter((line) => /^cpu\d+ /.test(line))
    .map((line) => {
      const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
        .split(/\s+/)
        .slice(1, 9)
        .map(Number);
      const busy = user + nice + system + irq + softirq + steal;
      return { busy, total: busy + idle + iowait };
    });
}

export function cpuSnapshot(serverGroups: readonly number[] = [], loadGroup?: number): CpuSnapshot {
  const snapshot: CpuSnapshot = { cpus: perCpu(), serverTicks: 0, loadTicks: 0, postgresTicks: 0 };
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // it ended while we read
    }
    const close = stat.lastIndexOf(")");
    const name = stat.slice(stat.indexOf("(") + 1, close);
    // After the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
    const fields = stat.slice(close + 2).split(" ");
    const group = Number(fields[2]);
    const own = Number(fields[11]) + Number(fields[12]);
    if (name === "postgres") {
      // With the reaped children's time: the postmaster keeps the CPU of backends that ended (one per request on workerd).
      snapshot.postgresTicks += own + Number(fields[13]) + Number(fields[14]);
    } else if (serverGroups.includes(group)) {
      snapshot.serverTicks += own;
    } else if (group === loadGroup) {
      snapshot.loadTicks += own;
    }
  }
  return snapshot;
}

export interface CpuUse {
  /** Per CPU, the share of the interval it was busy (0–100). */
  busyPercent: number[];
  /** CPU seconds in the interval: the server and its bridge, the load generator, Postgres, and the rest. */
  seconds: { server: number; load: number; postgres: number; other: number };
}

export function cpuUse(before: CpuSnapshot, after: CpuSnapshot): CpuUse {
  const busyPercent = after.cpus.map((cpu, index) => {
    const start = before.cpus[index];
    if (!start || cpu.total === start.total) return 0;
    return Math.round((1000 * (cpu.busy - start.busy)) / (cpu.total - start.total)) / 10;
  });
  const seconds = (key: "serverTicks" | "loadTicks" | "postgresTicks") =>
    Math.max(0, after[key] - before[key]) / TICKS_PER_SECOND;
  const busy = after.cpus.reduce((sum, cpu, index) => sum + cpu.busy - (before.cpus[index]?.busy ?? cpu.busy), 0) /
    TICKS_PER_SECOND;
  const server = seconds("serverTicks");
  const load = seconds("loadTicks");
  const postgres = seconds("postgresTicks");
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    busyPercent,
    seconds: {
      server: round(server),
      load: round(load),
      postgres: round(postgres),
      other: round(Math.max(0, busy - server - load - postgres)),
    },
  };
}

/**
 * Waits until the machine is nearly idle (under `thresholdPercent` of one
 * core over a second), for at most `maxSeconds`; returns the last reading, so
 * a run on a busy machine can say so.
 */
export async function waitForQuiet(maxSeconds: number, thresholdPercent = 15): Promise<number> {
  const deadline = Date.now() + maxSeconds * 1000;
  for (;;) {
    const before = perCpu();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = perCpu();
    const busyTicks = after.reduce((sum, cpu, index) => sum + cpu.busy - (before[index]?.busy ?? cpu.busy), 0);
    const percentOfOneCore = busyTicks; // ticks in one second = percent of a core (USER_HZ = 100)
    if (percentOfOneCore < thresholdPercent || Date.now() > deadline) return percentOfOneCore;
  }
}
