/**
 * The router-log pipe: router lines as bytes from a lone gateway worker straight to the control plane, past the
 * gateway's main process. The control plane opens it as the gateway main's fd 4 (ChildSpec.onPipe) and
 * names it in ROUTER_LOG_FD_ENV; with `workers: 1` the main process hands it to its worker (same fd number),
 * which writes its batches there: `isoTime \t app \t message \n` lines, as an IPC batch's text. The main
 * process no longer receives, decodes and re-encodes every line on the gateway's core (1-1.5 µs per request).
 * With more workers, lines go over IPC through the main process as before: a stream socket does not keep two
 * writers' lines whole.
 */
import { fstatSync } from 'node:fs';
import net from 'node:net';
import { parseBatchLine } from './proxy/router-log.js';

/** The environment variable that names the pipe's fd (unset or empty: no pipe, lines go over IPC). */
export const ROUTER_LOG_FD_ENV = 'SPACEPORT_ROUTER_LOG_FD';
/** The fd the control plane gives it (after stdin, stdout, stderr and the IPC channel). */
export const ROUTER_LOG_FD = 4;

/** The pipe's fd from the environment, or undefined (also when that fd is not open: lines then go over IPC). */
export function routerLogFd(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const fd = Number(env[ROUTER_LOG_FD_ENV]);
  if (!Number.isInteger(fd) || fd <= 2) return undefined;
  try {
    fstatSync(fd);
    return fd;
  } catch {
    return undefined;
  }
}

/** Opens the pipe for writing (a worker). It never keeps the process alive; a broken pipe drops the lines. */
export function openRouterLogPipe(fd: number): net.Socket {
  const s = new net.Socket({ fd, readable: false, writable: true });
  s.on('error', () => s.destroy());
  s.unref();
  return s;
}

/**
 * The control plane's side: cuts the pipe's bytes into lines (a read may end mid-line) and hands each as
 * (time, app, message), as batchLines does an IPC batch's (parseBatchLine). A line that is not three
 * tab-separated fields is dropped: the tail of a worker that died mid-write (the gateway main ends it with a
 * newline), which a message can never look like, since formatRouterLine escapes tabs and newlines.
 */
export class RouterLineReader {
  private rest = '';
  constructor(private readonly line: (time: string, app: string, message: string) => void) {}

  push(chunk: Buffer): void {
    // latin1, as the worker wrote them (every char of a request line is one byte).
    const text = this.rest + chunk.toString('latin1');
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      this.rest = text;
      return;
    }
    for (const line of text.slice(0, end).split('\n')) {
      const parsed = parseBatchLine(line);
      if (parsed) this.line(...parsed);
    }
    this.rest = text.slice(end + 1);
  }
}
