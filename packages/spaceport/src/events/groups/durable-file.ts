/**
 * An append-only file with group commit: appends go to the page cache at once, and one fdatasync per window
 * makes every append made meanwhile durable before their promises resolve.
 */
import { closeSync, fdatasync, openSync, writeSync } from 'node:fs';

export class DurableAppendFile {
  private readonly fd: number;
  private waiting: Array<() => void> = [];
  private running = false;

  constructor(path: string) {
    this.fd = openSync(path, 'a');
  }

  append(text: string): Promise<void> {
    const buf = Buffer.from(text, 'utf8');
    let done = 0;
    while (done < buf.length) done += writeSync(this.fd, buf, done);
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
