/** Splits a byte stream into lines; a line longer than `max` bytes is cut into pieces of `max` bytes. */
export const MAX_LINE_BYTES = 10_000;

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly emit: (line: string) => void,
    private readonly max = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      this.append(chunk.subarray(start, end));
      if (nl === -1) return;
      this.flushLine();
      start = nl + 1;
    }
  }

  /** Emits what is left without a trailing newline (the stream ended). */
  end(): void {
    if (this.pendingBytes > 0) this.flushLine();
  }

  private append(part: Buffer): void {
    while (part.length > 0) {
      const room = this.max - this.pendingBytes;
      const take = part.subarray(0, room);
      this.pending.push(take);
      this.pendingBytes += take.length;
      part = part.subarray(take.length);
      if (this.pendingBytes >= this.max) this.flushLine();
    }
  }

  private flushLine(): void {
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    let s = buf.toString('utf8');
    if (s.endsWith('\r')) s = s.slice(0, -1);
    this.emit(s);
  }
}
