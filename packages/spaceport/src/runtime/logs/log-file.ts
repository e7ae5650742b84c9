/**
 * The size-capped log file: `space.log`, rotated to `space.log.1` past `maxBytes` (so at most twice that on
 * disk). When the disk cannot keep up, lines are dropped rather than queued in memory; `write` says so.
 */
import { createWriteStream, mkdirSync, openSync, renameSync, statSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

export class LogFile {
  private stream: WriteStream;
  private written: number;

  constructor(
    readonly path: string,
    readonly maxBytes = 10 * 1024 * 1024,
    /** Queued bytes past which lines are dropped. */
    readonly maxQueued = 1024 * 1024,
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.written = sizeOf(path);
    this.stream = this.open();
  }

  /** Appends one line; false when it was dropped because the file lags behind. */
  write(text: string): boolean {
    if (this.stream.writableLength > this.maxQueued) return false;
    if (this.written > this.maxBytes) this.rotate();
    this.stream.write(text + '\n');
    this.written += Buffer.byteLength(text) + 1;
    return true;
  }

  close(): Promise<void> {
    return new Promise((r) => this.stream.end(r));
  }

  private rotate(): void {
    this.stream.end();
    try {
      renameSync(this.path, this.path + '.1');
    } catch {
      // a removed file is fine: we start a new one
    }
    this.written = 0;
    this.stream = this.open();
  }

  private open(): WriteStream {
    // Opened synchronously: the stream is bound to this inode before any rotation can rename the path.
    const s = createWriteStream('', { fd: openSync(this.path, 'a', 0o600) });
    s.on('error', () => {}); // a full disk must not crash the control plane; lines are lost and that is all
    return s;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
