/**
 * One-at-a-time sections keyed by name: a section holding keys [a, b] waits for every other holding a or b.
 * Keys are taken in sorted order, so two sections wanting the same keys never wait for each other in a circle.
 * The runtime keys app builds on the workspace packages they depend on (each package's folder and content
 * hash): a build may build such a package (`tsc -b` of a project reference), and two builds writing its
 * outputs at once can read each other's half-written files. Once one build that held a key succeeded, the
 * package is built: later builds skip it (their `tsc -b` finds it up to date, only reads it), so they no longer
 * wait for each other on that key and run side by side (`runUntilDone`).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();
  /** Keys whose work is done (a section holding them succeeded): sections of `runUntilDone` pass them by. */
  private readonly done = new Set<string>();

  async run<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const releases: (() => void)[] = [];
    try {
      for (const k of [...new Set(keys)].sort()) releases.push(await this.acquire(k));
      return await fn();
    } finally {
      for (const r of releases.reverse()) r();
    }
  }

  /**
   * As `run`, for work that needs doing once per key: keys already done are not taken (a section waiting for
   * one lets it go the moment it gets it, if the holder finished the work), and when `succeeded(result)` the
   * keys this section held are done.
   */
  async runUntilDone<T>(keys: readonly string[], fn: () => Promise<T>, succeeded: (result: T) => boolean): Promise<T> {
    const releases: (() => void)[] = [];
    const held: string[] = [];
    try {
      for (const k of [...new Set(keys)].filter((key) => !this.done.has(key)).sort()) {
        const release = await this.acquire(k);
        if (this.done.has(k)) release();
        else {
          releases.push(release);
          held.push(k);
        }
      }
      const result = await fn();
      if (succeeded(result)) for (const k of held) this.done.add(k);
      return result;
    } finally {
      for (const r of releases.reverse()) r();
    }
  }

  /** Whether `key` is done (runUntilDone): nobody waits for it any more. */
  isDone(key: string): boolean {
    return this.done.has(key);
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
