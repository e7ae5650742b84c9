/**
 * The operations shared by request-transformer and response-transformer, in Kong's order and notation:
 * remove, rename (`old:new`), replace (only if present), add (only if absent), append (always).
 */
import { z } from 'zod';

const pair = z.string().regex(/^[^:]+:/, 'write it as name:value');
const rename = z.string().regex(/^[^:]+:[^:]+$/, 'write it as old:new');

export const opsSchema = (targets: readonly string[]) => {
  const list = (d: string, item: z.ZodType<string>) =>
    z.strictObject(Object.fromEntries(targets.map((t) => [t, z.array(item).default([]).describe(`${d} Default: none.`)]))).default(
      Object.fromEntries(targets.map((t) => [t, []])) as never,
    );
  return {
    remove: list('Names to remove.', z.string().min(1)),
    rename: list('old:new renames.', rename),
    replace: list('name:value, applied only when the name is present.', pair),
    add: list('name:value, applied only when the name is absent.', pair),
    append: list('name:value, always added (headers: joined to an existing value).', pair),
  };
};

export interface Ops {
  remove: string[];
  rename: [string, string][];
  replace: [string, string][];
  add: [string, string][];
  append: [string, string][];
}

const split = (s: string): [string, string] => {
  const i = s.indexOf(':');
  return [s.slice(0, i).trim(), s.slice(i + 1).trim()];
};

/** Pre-splits `name:value` strings once, at construction. */
export function compileOps(o: Record<'remove' | 'rename' | 'replace' | 'add' | 'append', Record<string, string[]>>, target: string): Ops {
  return {
    remove: o.remove[target] ?? [],
    rename: (o.rename[target] ?? []).map(split),
    replace: (o.replace[target] ?? []).map(split),
    add: (o.add[target] ?? []).map(split),
    append: (o.append[target] ?? []).map(split),
  };
}

export interface Target {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
  remove(name: string): void;
  /** Adds another value (a header joined with ", ", a query parameter repeated). */
  append(name: string, value: string): void;
}

export function applyOps(ops: Ops, t: Target): void {
  for (const n of ops.remove) t.remove(n);
  for (const [from, to] of ops.rename) {
    const v = t.get(from);
    if (v !== undefined) {
      t.remove(from);
      t.set(to, v);
    }
  }
  for (const [n, v] of ops.replace) if (t.get(n) !== undefined) t.set(n, v);
  for (const [n, v] of ops.add) if (t.get(n) === undefined) t.set(n, v);
  for (const [n, v] of ops.append) t.append(n, v);
}

export function isEmpty(ops: Ops): boolean {
  return !ops.remove.length && !ops.rename.length && !ops.replace.length && !ops.add.length && !ops.append.length;
}

/** The header methods a request view and a response view both have. */
export interface HeaderView {
  header(name: string): string | undefined;
  setHeader(name: string, value: string): void;
  removeHeader(name: string): void;
}

/** A request's or response's headers as a Target: one small object per use, no closures. */
export class HeaderTarget implements Target {
  constructor(private readonly v: HeaderView) {}
  get(name: string): string | undefined {
    return this.v.header(name);
  }
  set(name: string, value: string): void {
    this.v.setHeader(name, value);
  }
  remove(name: string): void {
    this.v.removeHeader(name);
  }
  append(name: string, value: string): void {
    const old = this.v.header(name);
    this.v.setHeader(name, old === undefined ? value : `${old}, ${value}`);
  }
}

/** A query string as a Target (a repeated parameter for append). */
export class QueryTarget implements Target {
  constructor(private readonly q: URLSearchParams) {}
  get(name: string): string | undefined {
    return this.q.get(name) ?? undefined;
  }
  set(name: string, value: string): void {
    this.q.set(name, value);
  }
  remove(name: string): void {
    this.q.delete(name);
  }
  append(name: string, value: string): void {
    this.q.append(name, value);
  }
}
