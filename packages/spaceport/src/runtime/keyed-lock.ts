/**
 * One-at-a-time sections keyed by name: a section holding keys [a, b] waits for every other holding a or b.
 * Keys are taken in sorted order, so two sections wanting the same keys never wait for each other in a circle.
 * The runtime keys app builds on the workspace packages they depend on: a build may build such a package
 * (`tsc -b` of a project reference), and two builds writing its outputs at once can read each other's
 * half-written files.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const k of [...new Set(keys)].sort()) releases.push(await this.acquire(k));
      return await fn();
    } finally {
      for (const r of releases.reverse()) r();
    }
  }

  /** Keys someone holds or waits for (tests). */
  get busy(): string[] {
    return [...this.tails.keys()];
  }

  private async acquire(key: string): Promise<() => void> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    await prev;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
