import { startSqlHttpServer } from "./sql-http-server.ts";
import { startWsBridge } from "./ws-bridge.ts";

export interface NeonProxies {
  /** DATABASE_WS_PROXY: `host:port/v2` of the WebSocket bridge, for sessions (transactions). */
  wsProxy: string;
  /** DATABASE_HTTP_PROXY: the HTTP query server's `/sql` URL, for one-shot queries. */
  httpEndpoint: string;
  close(): Promise<void>;
}

export interface NeonProxiesOptions {
  /** For a server with one session behind every socket (PGlite's): see `WsBridgeOptions.oneAtATime`. */
  oneAtATime?: boolean;
  /** Connections the HTTP query server keeps to the database; 10 unless set. */
  maxConnections?: number;
}

/**
 * Neon's two ways in, for a Postgres that is not Neon: a WebSocket bridge to
 * it, and a server speaking Neon's HTTP query protocol over that bridge. With
 * both, the app runs the production driver's paths against any Postgres.
 */
export async function startNeonProxies(url: string, options: NeonProxiesOptions = {}): Promise<NeonProxies> {
  const { hostname, port } = new URL(url);
  const bridge = await startWsBridge({ host: hostname, port: Number(port || 5432) }, {
    oneAtATime: options.oneAtATime ?? false,
  });
  try {
    const http = await startSqlHttpServer({ url, wsProxy: bridge.proxy, maxConnections: options.maxConnections ?? 10 });
    return {
      wsProxy: bridge.proxy,
      httpEndpoint: http.url,
      close: async () => {
        await http.close();
        await bridge.close();
      },
    };
  } catch (error) {
    await bridge.close();
    throw error;
  }
}
