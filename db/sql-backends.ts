import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { PoolClient } from "@neondatabase/serverless";
import { openPool, type PoolOptions, queryPrepared } from "./neon-pool.ts";

/** One statement's answer with every value as Postgres sent it: text, or null. */
export interface RawResult {
  command: string;
  rowCount: number | null;
  fields: { name: string; dataTypeID: number }[];
  rows: (string | null)[][];
}

export type Params = (string | null)[];

export interface SqlRunner {
  run(query: string, params: Params): Promise<RawResult>;
}

export type IsolationLevel = "ReadUncommitted" | "ReadCommitted" | "RepeatableRead" | "Serializable";

export interface TransactionMode {
  isolationLevel: IsolationLevel | undefined;
  readOnly: boolean | undefined;
  deferrable: boolean | undefined;
}

/** Where the HTTP query server runs statements. */
export interface SqlBackend extends SqlRunner {
  /** Runs `work` in one transaction with `mode`: committed if it resolves, rolled back if it throws. */
  transaction<T>(mode: TransactionMode, work: (runner: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const isolationSql: Record<IsolationLevel, string> = {
  ReadUncommitted: "read uncommitted",
  ReadCommitted: "read committed",
  RepeatableRead: "repeatable read",
  Serializable: "serializable",
};

export const isolationLevels = Object.keys(isolationSql) as IsolationLevel[];

/** The transaction modes of `BEGIN` / `SET TRANSACTION`; empty for the server's defaults. */
function transactionModes(mode: TransactionMode): string {
  const modes: string[] = [];
  if (mode.isolationLevel) modes.push(`isolation level ${isolationSql[mode.isolationLevel]}`);
  if (mode.readOnly !== undefined) modes.push(mode.readOnly ? "read only" : "read write");
  if (mode.deferrable !== undefined) modes.push(mode.deferrable ? "deferrable" : "not deferrable");
  return modes.join(", ");
}

/** Every value as the text Postgres sent: no parsing, as Neon's raw text output. */
const rawText = { getTypeParser: () => (value: string) => value };

async function runPrepared(client: PoolClient, text: string, values: Params): Promise<RawResult> {
  const result = await queryPrepared<(string | null)[]>(client, { text, values, rowMode: "array", types: rawText });
  return { command: result.command, rowCount: result.rowCount, fields: result.fields, rows: result.rows };
}

/** A pool of Neon driver connections to a Postgres, through its WebSocket bridge. */
export function poolBackend(options: PoolOptions): SqlBackend {
  const pool = openPool(options);
  return {
    run: (query, params) => pool.withClient((client) => runPrepared(client, query, params)),
    transaction: (mode, work) =>
      pool.withClient(async (client) => {
        await client.query(`begin ${transactionModes(mode)}`);
        try {
          const result = await work({ run: (query, params) => runPrepared(client, query, params) });
          await client.query("commit");
          return result;
        } catch (error) {
          await client.query("rollback").catch(() => {});
          throw error;
        }
      }),
    close: () => pool.end(),
  };
}

/**
 * An in-process PGlite. Its queries wait for any transaction open on it (its
 * own lock), so this is safe next to Drizzle's PGlite driver in the same
 * process, but not next to clients of its socket server: those share its one
 * session without that lock (serve such a PGlite through the bridge instead).
 */
export function pgliteBackend(pg: PGlite): SqlBackend {
  const codecs = rawCodecs(pg);
  const runOn = (on: PGlite | Transaction): SqlRunner["run"] => async (query, params) => {
    const raw = codecs();
    const result = await on.query<(string | null)[]>(query, params, {
      rowMode: "array",
      parsers: raw,
      serializers: raw,
    });
    return {
      command: result.command ?? "",
      rowCount: result.rowCount ?? null,
      fields: result.fields,
      rows: result.rows,
    };
  };
  return {
    run: runOn(pg),
    transaction: (mode, work) =>
      pg.transaction(async (tx) => {
        const modes = transactionModes(mode);
        if (modes) await tx.query(`set transaction ${modes}`);
        return await work({ run: runOn(tx) });
      }),
    // The PGlite belongs to the caller.
    close: async () => {},
  };
}

/**
 * PGlite parses (and serializes) the types it knows, arrays of them included;
 * one pass-through function per such type keeps every value as text. Array
 * types are learned from the database, so the list is rebuilt when it grows.
 */
function rawCodecs(pg: PGlite): () => Record<string, (text: string) => string> {
  let known = -1;
  let codecs: Record<string, (text: string) => string> = {};
  const same = (text: string) => text;
  return () => {
    const parsed = Object.keys(pg.parsers);
    const serialized = Object.keys(pg.serializers);
    if (parsed.length + serialized.length !== known) {
      known = parsed.length + serialized.length;
      codecs = Object.fromEntries([...parsed, ...serialized].map((type) => [type, same]));
    }
    return codecs;
  };
}
