import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { PGlite } from "@electric-sql/pglite";
import { errorFields } from "@neondatabase/serverless";
import {
  type IsolationLevel,
  isolationLevels,
  type Params,
  pgliteBackend,
  poolBackend,
  type RawResult,
  type SqlBackend,
  type TransactionMode,
} from "./sql-backends.ts";

export type SqlHttpServerOptions =
  & {
    /**
     * The connection string clients must send (`Neon-Connection-String`): its
     * host, port, database and user must match, and its password if this has one.
     */
    url: string;
    /** Port to listen on (127.0.0.1); 0 or unset picks a free one. */
    port?: number;
    /** Larger request bodies are refused with 413. */
    maxBodyBytes?: number;
  }
  & (
    /** A Postgres reached through its WebSocket bridge (`host:port/path`), with a pool of Neon driver connections. */
    | { wsProxy: string; maxConnections?: number }
    /** An in-process PGlite that no socket client shares (see `pgliteBackend`). */
    | { pglite: PGlite }
  );

export interface SqlHttpCounts {
  /** HTTP requests received. */
  requests: number;
  /** Statements run, in and out of batches. */
  queries: number;
  /** Batches run, each in a transaction of its own. */
  transactions: number;
}

export interface SqlHttpServer {
  /** What `neonConfig.fetchEndpoint` (or `NeonOptions.httpEndpoint`) takes: `http://127.0.0.1:PORT/sql`. */
  readonly url: string;
  counts(): SqlHttpCounts;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** What a request asks for, once read and checked. */
type SqlRequest =
  | { kind: "query"; query: Statement; arrayMode: boolean }
  | { kind: "batch"; queries: Statement[]; mode: TransactionMode; arrayMode: boolean };

interface Statement {
  query: string;
  params: Params;
}

/** A request this server refuses, with the status and the message the client gets. */
class Refusal extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Speaks Neon's HTTP query protocol (`POST /sql`) as `@neondatabase/serverless`
 * sends it, over a local Postgres or PGlite, so that `neon()` and drizzle's
 * neon-http driver run unchanged against any database: one-shot queries, and
 * batches in one transaction with the isolation, read-only and deferrable
 * modes of `sql.transaction([...], options)`. Values go back as Postgres text
 * (the driver parses them itself); Postgres errors go back as 400 with their
 * fields, which the driver turns into a `NeonDbError` with the same `code`,
 * `constraint` and the rest.
 */
export async function startSqlHttpServer(options: SqlHttpServerOptions): Promise<SqlHttpServer> {
  const served = new URL(options.url);
  const backend = "pglite" in options
    ? pgliteBackend(options.pglite)
    : poolBackend({ url: options.url, wsProxy: options.wsProxy, maxConnections: options.maxConnections ?? 10 });
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const counts: SqlHttpCounts = { requests: 0, queries: 0, transactions: 0 };

  const server = createServer((request, response) => {
    counts.requests++;
    answer(request, backend, counts, { served, maxBodyBytes })
      .then(({ status, body }) => send(response, status, body))
      .catch((error: unknown) => {
        if (error instanceof Refusal) return send(response, error.status, { message: error.message });
        if (isPostgresError(error)) return send(response, 400, postgresErrorBody(error));
        // Not an answer from Postgres: it could not be reached. The driver reports any status but 400 as a server
        // error, which the app treats as the database being unavailable.
        send(response, 503, { message: `the database did not answer: ${describe(error)}` });
      });
  });
  // Clients keep an idle connection for the Keep-Alive timeout this announces, less a margin, so they drop it before
  // the server does; a long one spares them a new connection between queries.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the SQL HTTP server is not listening on TCP");
  return {
    url: `http://127.0.0.1:${address.port}/sql`,
    counts: () => ({ ...counts }),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await backend.close();
    },
  };
}

interface Settings {
  /** The connection string clients must send. */
  served: URL;
  maxBodyBytes: number;
}

async function answer(
  request: IncomingMessage,
  backend: SqlBackend,
  counts: SqlHttpCounts,
  settings: Settings,
): Promise<{ status: number; body: unknown }> {
  if (new URL(request.url ?? "/", "http://localhost").pathname !== "/sql") {
    throw new Refusal(404, "not found: this server answers POST /sql");
  }
  if (request.method !== "POST") throw new Refusal(405, "only POST /sql is served");
  checkConnectionString(request.headers, settings.served);
  const sqlRequest = parseRequest(request.headers, await readBody(request, settings.maxBodyBytes));
  if (sqlRequest.kind === "query") {
    counts.queries++;
    const result = await backend.run(sqlRequest.query.query, sqlRequest.query.params);
    return { status: 200, body: resultBody(result, sqlRequest.arrayMode) };
  }
  if (sqlRequest.queries.length === 0) return { status: 200, body: { results: [] } };
  counts.transactions++;
  const results = await backend.transaction(sqlRequest.mode, async (runner) => {
    const done: RawResult[] = [];
    for (const { query, params } of sqlRequest.queries) {
      counts.queries++;
      done.push(await runner.run(query, params));
    }
    return done;
  });
  return { status: 200, body: { results: results.map((result) => resultBody(result, sqlRequest.arrayMode)) } };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function checkConnectionString(headers: IncomingHttpHeaders, served: URL): void {
  const sent = header(headers, "Neon-Connection-String");
  if (!sent) throw new Refusal(400, "the Neon-Connection-String header is missing");
  let url: URL;
  try {
    url = new URL(sent);
  } catch {
    throw new Refusal(400, "Neon-Connection-String is not a postgres:// URL");
  }
  // Both went through the URL parser, so their percent-encoding agrees; the driver lower-cases the host.
  const same = /^postgres(ql)?:$/.test(url.protocol) &&
    url.hostname.toLowerCase() === served.hostname.toLowerCase() &&
    (url.port || "5432") === (served.port || "5432") &&
    url.pathname === served.pathname &&
    url.username === served.username &&
    (served.password === "" || url.password === served.password);
  if (!same) {
    const name = `${served.username}@${served.host}${served.pathname}`;
    throw new Refusal(400, `Neon-Connection-String does not name the database this server serves (${name})`);
  }
}

function parseRequest(headers: IncomingHttpHeaders, text: string): SqlRequest {
  if (header(headers, "Neon-Raw-Text-Output") !== "true") {
    throw new Refusal(400, "Neon-Raw-Text-Output must be true: this server answers with Postgres text only");
  }
  const arrayMode = header(headers, "Neon-Array-Mode") === "true";
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Refusal(400, "the body is not JSON");
  }
  if (typeof body === "object" && body !== null && "queries" in body) {
    if (!Array.isArray(body.queries)) throw new Refusal(400, "queries must be an array of {query, params}");
    return { kind: "batch", queries: body.queries.map(parseStatement), mode: transactionMode(headers), arrayMode };
  }
  return { kind: "query", query: parseStatement(body), arrayMode };
}

function parseStatement(value: unknown): Statement {
  if (typeof value !== "object" || value === null || !("query" in value) || typeof value.query !== "string") {
    throw new Refusal(400, "each query must be an object with a query string and a params array");
  }
  const params = "params" in value ? value.params : [];
  if (!Array.isArray(params)) throw new Refusal(400, "params must be an array");
  return { query: value.query, params: params.map(parseParam) };
}

/** The driver sends every parameter as text already; plain JSON scalars are taken as their text too. */
function parseParam(value: unknown): string | null {
  if (value === null || typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new Refusal(400, "params must be strings, numbers, booleans or nulls");
}

function transactionMode(headers: IncomingHttpHeaders): TransactionMode {
  const isolation = header(headers, "Neon-Batch-Isolation-Level");
  if (isolation !== undefined && !isolationLevels.includes(isolation as IsolationLevel)) {
    throw new Refusal(400, `Neon-Batch-Isolation-Level must be one of ${isolationLevels.join(", ")}`);
  }
  return {
    isolationLevel: isolation as IsolationLevel | undefined,
    readOnly: flag(headers, "Neon-Batch-Read-Only"),
    deferrable: flag(headers, "Neon-Batch-Deferrable"),
  };
}

function flag(headers: IncomingHttpHeaders, name: string): boolean | undefined {
  const value = header(headers, name);
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false") throw new Refusal(400, `${name} must be true or false`);
  return value === "true";
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = new Refusal(413, `the body is larger than ${maxBytes} bytes`);
  if (Number(request.headers["content-length"]) > maxBytes) return Promise.reject(tooLarge);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      if (size > maxBytes) return;
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // The rest is not read: the answer closes the connection (see `send`).
      request.pause();
      reject(tooLarge);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Neon's answer to one statement: rows as arrays in array mode, else as objects by column name. */
function resultBody(result: RawResult, arrayMode: boolean) {
  const names = result.fields.map((field) => field.name);
  return {
    command: result.command,
    rowCount: result.rowCount,
    fields: result.fields,
    rowAsArray: arrayMode,
    rows: arrayMode
      ? result.rows
      : result.rows.map((row) => Object.fromEntries(row.map((value, i) => [names[i], value]))),
  };
}

/** An error Postgres itself reported: it carries a SQLSTATE and a severity. */
function isPostgresError(error: unknown): error is Record<string, unknown> & { message: string } {
  if (typeof error !== "object" || error === null) return false;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && typeof severity === "string";
}

function postgresErrorBody(error: Record<string, unknown> & { message: string }): Record<string, unknown> {
  const body: Record<string, unknown> = { message: error.message };
  for (const field of errorFields) if (error[field] !== undefined) body[field] = error[field];
  return body;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  // The WebSocket driver rejects with the socket's error event when it cannot connect.
  if (typeof Event !== "undefined" && error instanceof Event) return `WebSocket ${error.type}`;
  return String(error);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return void response.destroy();
  const json = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(json),
    // A body refused for its size was not read to its end, so the connection cannot carry another request.
    ...(status === 413 ? { Connection: "close" } : {}),
  });
  response.end(json);
}
