/** Short-lived connections to a server: readiness polling, one-off queries. */
import pg from 'pg';

/** Runs `fn` with a connected client and always closes it. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>, connectTimeoutMs = 5000): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  // An error event after connect (server killed) must not crash the control plane.
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Resolves once `url` accepts a connection; polls every 20 ms, every 100 ms after 2 s. `abort` is checked between tries and, when it
 * returns a reason, rejects with it (the server process exited); connecting is tried only once `looksReady`
 * (each early try costs the server a FATAL log line). An error whose SQLSTATE is in `acceptCodes` also means the
 * server answers: its code is returned. Rejects after `timeoutMs` with the last error.
 */
export async function waitForServer(
  url: string,
  timeoutMs: number,
  abort: () => string | undefined,
  looksReady: () => boolean = () => true,
  acceptCodes: readonly string[] = [],
): Promise<string | undefined> {
  const end = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const reason = abort();
    if (reason) throw new Error(reason);
    if (looksReady()) {
      try {
        await withClient(url, (c) => c.query('SELECT 1'), 2000);
        return undefined;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code && acceptCodes.includes(code)) return code;
        last = (err as Error).message;
      }
    } else {
      last = 'the server is starting';
    }
    if (Date.now() > end) throw new Error(`not accepting connections after ${Math.round(timeoutMs / 1000)}s (last error: ${last})`);
    // Fine-grained at first (a warm start takes ~100 ms), coarser once it is clearly slow.
    await new Promise((r) => setTimeout(r, Date.now() > end - timeoutMs + 2000 ? 100 : 20));
  }
}

/** Quotes an SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
