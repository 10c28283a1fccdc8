import { describe, expect, it } from "vitest";
import type { Cache, SharedCache } from "../../../api/lib/cache/cache.ts";
import { memoryCache } from "../../../api/lib/cache/memory.ts";
import { tieredCache, type TieredCacheOptions } from "../../../api/lib/cache/tiered.ts";
import { upstashCache } from "../../../api/lib/cache/upstash.ts";
import { systemClock } from "../../../api/lib/clock.ts";
import { silentLogger } from "../../../api/lib/logger.ts";
import { testRedis } from "../../support/app.ts";
import { type Backend, backendKinds, fakeShared, holdable, ManualClock } from "./backends.ts";

const N = 1_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const course = { id: "c1", title: "Hot course", modules: [{ title: "One", lessons: [{ title: "Intro" }] }] };

interface Subject {
  name: string;
  create(): { cache: Cache; advance(ms: number): Promise<void> };
}

function subjects(): Subject[] {
  const onManualClock = (build: (clock: ManualClock) => Cache) => () => {
    const clock = new ManualClock();
    return { cache: build(clock), advance: async (ms: number) => clock.advance(ms) };
  };
  const onSystemClock = (build: () => Cache) => () => ({ cache: build(), advance: sleep });
  const list: Subject[] = [
    { name: "memory", create: onManualClock((clock) => memoryCache(clock)) },
    {
      name: "tiered over the fake shared cache",
      create: onManualClock((clock) => tieredCache(fakeShared(clock).remote, tierOptions(clock))),
    },
  ];
  const redis = testRedis();
  if (redis) {
    const upstash = () => upstashCache(redis, silentLogger, { keyPrefix: `cache-contract-${crypto.randomUUID()}:` });
    list.push(
      { name: "upstash", create: onSystemClock(upstash) },
      { name: "tiered over upstash", create: onSystemClock(() => tieredCache(upstash(), tierOptions(systemClock))) },
    );
  }
  return list;
}

function tierOptions(clock: TieredCacheOptions["clock"], extra: Partial<TieredCacheOptions> = {}): TieredCacheOptions {
  return { clock, logger: silentLogger, checkIntervalMs: N, ...extra };
}

describe.each(subjects())("the Cache contract: $name", ({ create }) => {
  it("misses a key never set", async () => {
    const { cache } = create();
    expect(await cache.get("never-set")).toBeUndefined();
  });

  it("returns what was set, as a copy the caller may change", async () => {
    const { cache } = create();
    await cache.set("course", course, 60);
    const first = await cache.get<typeof course>("course");
    expect(first).toEqual(course);
    first!.modules[0]!.title = "Changed by a caller";
    expect(await cache.get("course")).toEqual(course);
  });

  it("replaces a value set again", async () => {
    const { cache } = create();
    await cache.set("key", { version: 1 }, 60);
    await cache.set("key", { version: 2 }, 60);
    expect(await cache.get("key")).toEqual({ version: 2 });
  });

  it("deletes several keys at once and leaves the others", async () => {
    const { cache } = create();
    await Promise.all(["a", "b", "c"].map((key) => cache.set(key, key, 60)));
    await cache.delete("a", "b");
    await cache.delete();
    expect([await cache.get("a"), await cache.get("b"), await cache.get("c")]).toEqual([undefined, undefined, "c"]);
  });

  it("forgets a value after its TTL", async () => {
    const { cache, advance } = create();
    await cache.set("short", "lived", 1);
    expect(await cache.get("short")).toBe("lived");
    await advance(1_100);
    expect(await cache.get("short")).toBeUndefined();
  });

  it("answers ping", async () => {
    await expect(create().cache.ping()).resolves.toBeUndefined();
  });
});

describe.each(backendKinds())("the in-isolate tier over the $name", (kind) => {
  function isolates(count: number, extra: Partial<TieredCacheOptions> = {}) {
    const clock = new ManualClock();
    const backend: Backend = kind.create(clock);
    const tiers = Array.from({ length: count }, () => tieredCache(backend.remote, tierOptions(clock, extra)));
    const callsDuring = async (work: () => Promise<unknown>) => {
      const before = backend.calls();
      await work();
      return backend.calls() - before;
    };
    return { clock, backend, tiers, callsDuring };
  }

  it("answers a hot object with no network call, and checks the generation once per interval", async () => {
    const { clock, tiers: [tier], callsDuring } = isolates(1);
    await tier!.get("course");
    await tier!.set("course", course, 300);
    expect(
      await callsDuring(async () => {
        for (let read = 0; read < 50; read++) expect(await tier!.get("course")).toEqual(course);
      }),
    ).toBe(0);
    clock.advance(N);
    // Concurrent readers wait for one check between them.
    expect(await callsDuring(() => Promise.all(Array.from({ length: 20 }, () => tier!.get("course"))))).toBe(1);
  });

  it("makes one remote read for concurrent misses of one key", async () => {
    const { backend, tiers: [tier], callsDuring } = isolates(1);
    await backend.remote.set("course", course, 300);
    const answers: unknown[] = [];
    // The generation check and one read, whatever the number of readers.
    expect(
      await callsDuring(async () => answers.push(...await Promise.all([1, 2, 3, 4, 5].map(() => tier!.get("course"))))),
    )
      .toBe(2);
    expect(answers).toEqual(Array(5).fill(course));
  });

  it("stops serving an object another isolate deleted within the interval", async () => {
    const { clock, tiers: [writer, reader] } = isolates(2);
    await reader!.get("course");
    await reader!.set("course", course, 300);
    await writer!.delete("course");
    // Until the interval ends the reader may still answer from memory: that is the bound, not a failure.
    clock.advance(N - 1);
    expect(await reader!.get("course")).toEqual(course);
    clock.advance(1);
    expect(await reader!.get("course")).toBeUndefined();
  });

  it("shows the deleting isolate its own delete at once, and keeps nothing it loaded before it", async () => {
    const { tiers: [tier] } = isolates(1);
    await tier!.get("course");
    await tier!.set("course", course, 300);
    await tier!.delete("course");
    expect(await tier!.get("course")).toBeUndefined();
    // A request loads the course from Postgres while another request in this isolate writes it and purges.
    await tier!.delete("course");
    await tier!.set("course", { ...course, title: "Before the write" }, 300);
    expect(await tier!.get("course")).toBeUndefined();
  });

  it("counts the interval from the start of a check, so a slow answer does not stretch the bound", async () => {
    const { clock, backend, tiers: [writer] } = isolates(1);
    const generation = holdable(backend.remote.generation);
    const reader = tieredCache({ ...backend.remote, generation: generation.call }, tierOptions(clock));
    await reader.get("course");
    await reader.set("course", course, 300);
    clock.advance(N);
    const answered = generation.hold();
    const during = reader.get("course");
    await answered;
    // Redis said "unchanged", then the purge landed while that answer was on its way.
    await writer!.delete("course");
    clock.advance(300);
    generation.release();
    expect(await during).toEqual(course);
    clock.advance(N - 300);
    expect(await reader.get("course")).toBeUndefined();
  });

  it("does not let a check that was under way during its own delete vouch for the tier", async () => {
    const { clock, backend } = isolates(0);
    const generation = holdable(backend.remote.generation);
    const tier = tieredCache({ ...backend.remote, generation: generation.call }, tierOptions(clock));
    expect(await tier.get("course")).toBeUndefined();
    clock.advance(N);
    const answered = generation.hold();
    const during = tier.get("other");
    await answered;
    await tier.delete("course");
    generation.release();
    await during;
    await tier.set("course", { ...course, title: "Before the write" }, 300);
    expect(await tier.get("course")).toBeUndefined();
  });

  it("waits for a call another request started no longer than it can be alive, then replaces it", async () => {
    const { clock, backend, callsDuring } = isolates(0);
    const generation = holdable(backend.remote.generation);
    const tier = tieredCache(
      { ...backend.remote, generation: generation.call },
      tierOptions(clock, { remoteTimeoutMs: 25 }),
    );
    await tier.get("course");
    await tier.set("course", course, 300);
    clock.advance(N);
    // The request that starts the next check is cancelled on workerd: its promises never settle.
    const answered = generation.hold();
    void tier.get("course");
    await answered;
    // Others wait out the check's 50 ms, then ask Redis for the course themselves.
    expect(await tier.get("course")).toEqual(course);
    clock.advance(50);
    expect(await callsDuring(() => tier.get("course"))).toBe(1);
    expect(await callsDuring(() => tier.get("course"))).toBe(0);
  });

  it("treats a shared read past its deadline as a miss, then replaces it", async () => {
    const { clock, backend, callsDuring } = isolates(0);
    const read = holdable(backend.remote.getWithTtl);
    const tier = tieredCache(
      { ...backend.remote, getWithTtl: read.call as SharedCache["getWithTtl"] },
      tierOptions(clock, { remoteTimeoutMs: 25 }),
    );
    await backend.remote.set("course", course, 300);
    const answered = read.hold();
    void tier.get("course");
    await answered;
    // A miss sends the caller to Postgres, as a failed read would.
    expect(await tier.get("course")).toBeUndefined();
    clock.advance(50);
    expect(await tier.get("course")).toEqual(course);
    expect(await callsDuring(() => tier.get("course"))).toBe(0);
  });

  it("does not store a read that was under way when a check found a purge", async () => {
    const { clock, backend, tiers: [writer] } = isolates(1);
    const read = holdable(backend.remote.getWithTtl);
    const reader = tieredCache(
      { ...backend.remote, getWithTtl: read.call as SharedCache["getWithTtl"] },
      tierOptions(clock),
    );
    await backend.remote.set("course", course, 300);
    const answered = read.hold();
    const during = reader.get("course");
    await answered;
    await writer!.delete("course");
    clock.advance(N);
    // Anything that checks will do: a write to another key.
    await reader.set("unrelated", 1, 300);
    read.release();
    expect(await during).toEqual(course);
    expect(await reader.get("course")).toBeUndefined();
  });

  it("does not keep a value loaded before a purge that came before it was stored", async () => {
    const { clock, tiers: [writer, reader, other] } = isolates(3);
    expect(await reader!.get("course")).toBeUndefined();
    // The reader loads the course from Postgres while the writer changes it and purges.
    await writer!.delete("course");
    await reader!.set("course", { ...course, title: "Before the write" }, 300);
    expect(await other!.get("course")).toBeUndefined();
    clock.advance(N);
    expect(await reader!.get("course")).toBeUndefined();
  });

  it("keeps a local copy no longer than Redis keeps the key", async () => {
    const { clock, backend, tiers: [tier], callsDuring } = isolates(1, { checkIntervalMs: 120_000 });
    await backend.remote.set("course", course, 60);
    await tier!.get("course");
    clock.advance(59_000);
    expect(await callsDuring(() => tier!.get("course"))).toBe(0);
    clock.advance(1_000);
    expect(await callsDuring(() => tier!.get("course"))).toBe(1);
  });

  it("holds at most its entry and byte budgets, the least recently used leaving first", async () => {
    const { tiers: [tier], callsDuring } = isolates(1, { maxEntries: 2, maxBytes: 100 });
    for (const key of ["a", "b", "c"]) {
      await tier!.get(key);
      await tier!.set(key, key, 300);
    }
    await tier!.get("b");
    await tier!.get("d");
    await tier!.set("d", "d", 300);
    expect(await callsDuring(() => Promise.all([tier!.get("b"), tier!.get("d")]))).toBe(0);
    expect(await callsDuring(() => tier!.get("a"))).toBe(1);
    expect(await callsDuring(() => tier!.get("c"))).toBe(1);

    await tier!.set("big", "x".repeat(200), 300);
    expect(await callsDuring(() => tier!.get("big"))).toBe(1);
  });

  it("keeps answering when Redis is down, and serves nothing older than the bound", async () => {
    const { clock, backend, tiers: [writer, reader], callsDuring } = isolates(2);
    await reader!.get("course");
    await reader!.set("course", course, 300);
    backend.setDown(true);
    await writer!.delete("course");
    expect(await reader!.get("course")).toEqual(course);
    clock.advance(N);
    expect(await reader!.get("course")).toBeUndefined();
    await reader!.set("course", course, 300);
    expect(await reader!.get("course")).toBeUndefined();
    await expect(reader!.ping()).rejects.toThrow();

    backend.setDown(false);
    clock.advance(N);
    await reader!.get("other");
    await reader!.set("other", course, 300);
    expect(await callsDuring(() => reader!.get("other"))).toBe(0);
  });
});
