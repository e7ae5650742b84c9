/**
 * An append-only file with group commit: appends go to the page cache at once, and one fdatasync per window
 * makes every append made meanwhile durable before their promises resolve. The file is preallocated with zeros
 * ahead of its end (../storage/preallocate.ts), so those fdatasyncs rarely change its size; its content ends at
 * the first NUL byte (readers cut there).
 */
import { closeSync, existsSync, fdatasync, fstatSync, openSync, writeSync } from 'node:fs';
import { endOfNonZero, extendAllocation } from '../storage/preallocate.js';

export class DurableAppendFile {
  private readonly fd: number;
  /** Where the next append goes: after the last non-zero byte. */
  private end: number;
  private allocated: number;
  private waiting: Array<() => void> = [];
  private running = false;

  constructor(path: string) {
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    this.allocated = fstatSync(this.fd).size;
    this.end = endOfNonZero(this.fd, 0, this.allocated);
  }

  append(text: string): Promise<void> {
    const buf = Buffer.from(text, 'utf8');
    let done = 0;
    while (done < buf.length) done += writeSync(this.fd, buf, done, buf.length - done, this.end + done);
    this.end += buf.length;
    this.allocated = extendAllocation(this.fd, this.allocated, this.end);
    const p = new Promise<void>((resolve) => this.waiting.push(resolve));
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.run());
    }
    return p;
  }

  private async run(): Promise<void> {
    while (this.waiting.length > 0) {
      const waiting = this.waiting;
      this.waiting = [];
      await new Promise<void>((resolve) => fdatasync(this.fd, () => resolve()));
      for (const w of waiting) w();
    }
    this.running = false;
  }

  close(): void {
    closeSync(this.fd);
  }
}
