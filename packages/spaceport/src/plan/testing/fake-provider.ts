/**
 * An in-memory provider for unit tests of the generic reconciler ONLY (never for a subsystem's tests):
 * `live` is what "runs", `applied` logs each change, `failOn` makes chosen addresses fail.
 */
import { sameValue } from '../canonical.js';
import type { Change, ChangeSpec, Provider, YamlEdit } from '../types.js';

export type Value = Record<string, unknown>;

export class FakeProvider implements Provider<Value, Value, Map<string, Value>> {
  live = new Map<string, Value>();
  applied: string[] = [];
  failOn = new Set<string>();
  constructor(
    readonly kind: string,
    readonly order: number,
    readonly ownsUnrecorded = true,
    readonly replaceOn: string[] = [],
    readonly canMove = true,
  ) {}
  desired(ctx: Map<string, Value>): Map<string, Value> {
    const out = new Map<string, Value>();
    for (const [a, v] of ctx) if (v.kind === this.kind) out.set(a, { ...v, kind: undefined });
    for (const v of out.values()) delete v.kind;
    return out;
  }
  async read(): Promise<Map<string, Value>> {
    return new Map(this.live);
  }
  diff(want: Value | undefined, have: Value | undefined): ChangeSpec<Value, Value>[] {
    if (want && !have) return [{ action: 'create', after: want }];
    if (!want && have) return [{ action: 'delete', before: have, destroysData: have.data ? 'it holds data' : undefined }];
    if (want && have && !sameValue(want, have)) {
      const r = this.replaceOn.find((k) => !sameValue(want[k], have[k]));
      return [{ action: r ? 'replace' : 'update', before: have, after: want, reason: r ? `${r} changed` : undefined }];
    }
    return [];
  }
  async apply(c: Change<Value, Value>): Promise<void> {
    await new Promise((r) => setImmediate(r));
    this.applied.push(`${c.action} ${c.from ? c.from + ' -> ' : ''}${c.address}`);
    if (this.failOn.has(c.address)) throw new Error(`${c.address} exploded`);
    if (c.action === 'move') {
      const v = this.live.get(c.from!);
      this.live.delete(c.from!);
      if (v) this.live.set(c.address, v);
    } else if (c.action === 'delete') this.live.delete(c.address);
    else this.live.set(c.address, c.after!);
  }
  adopt(address: string, live: Value | undefined): YamlEdit[] {
    return [{ path: address.split('.'), value: live }];
  }
}
