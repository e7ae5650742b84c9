/**
 * `spaceport state list` and `state show`: the resources recorded in state, by the addresses plan prints.
 * Read-only. A shown resource's attributes are masked by plan's rule (mask.ts: secret-looking names, URL
 * passwords) and printed as `terraform state show` prints them: sorted, aligned, sensitive values as
 * `(sensitive value)`, unset (null) attributes left out.
 */
import { didYouMean } from '../config/did-you-mean.js';
import { CliError, usageError } from '../cli/errors.js';
import { checkAddress, isUnder } from './address.js';
import { MASK, maskValue } from './mask.js';
import { showValue } from './render.js';

type Resources = Record<string, { id: string; kind: string; attributes: unknown }>;

/** Every address in state under one of `prefixes` (all when none), sorted. Malformed prefixes are usage errors. */
export function listAddresses(resources: Resources, prefixes: string[]): string[] {
  for (const p of prefixes) {
    const problem = checkAddress(p);
    if (problem) throw usageError(`${problem}: addresses are the ones plan prints, such as apps.web or gateway.services.api`);
  }
  return Object.keys(resources)
    .filter((a) => prefixes.length === 0 || prefixes.some((p) => isUnder(a, p)))
    .sort();
}

/** The resource at `address` as `terraform state show` prints one, or a CliError naming what is there. */
export function showResource(resources: Resources, address: string): string {
  const r = resources[address];
  const problem = checkAddress(address);
  if (problem) throw usageError(`${problem}; \`spaceport state list\` prints every address in state`);
  if (!r) throw new CliError(unknownAddress(resources, address));
  const attrs = r.attributes && typeof r.attributes === 'object' && !Array.isArray(r.attributes) ? (r.attributes as Record<string, unknown>) : { value: r.attributes };
  const body = block({ id: r.id, ...(maskValue(attrs) as Record<string, unknown>) }, '    ');
  return `# ${address}:\n${r.kind} "${address}" ${body}\n`;
}

function unknownAddress(resources: Resources, address: string): string {
  const all = Object.keys(resources).sort();
  const under = all.filter((a) => isUnder(a, address));
  if (under.length > 0) {
    return `${address} is not a resource, the resources under it are: ${under.join(', ')}; show one of them (\`spaceport state list ${address}\`)`;
  }
  const near = didYouMean(address, all);
  const hint = near ? `; did you mean ${near}?` : '';
  const list = all.length > 0 ? '`spaceport state list` prints every address in state' : 'state has no resources yet: `spaceport up` or `spaceport apply` records them';
  return `no resource ${address} in state${hint} (${list})`;
}

/** A key as HCL writes it: bare when it is an identifier, else quoted. */
function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k);
}

function leaf(v: unknown, k: string): string {
  return v === MASK ? '(sensitive value)' : showValue(v, k);
}

/** `{ k = v ... }` over non-null entries, keys sorted and `=` aligned, nested blocks indented by `indent`. */
function block(obj: Record<string, unknown>, indent: string): string {
  const entries = Object.entries(obj).filter(([, v]) => v !== null && v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return '{}';
  const width = Math.max(...entries.map(([k]) => key(k).length));
  const lines = entries.map(([k, v]) => `${indent}${key(k).padEnd(width)} = ${value(v, k, indent)}`);
  return `{\n${lines.join('\n')}\n${indent.slice(4)}}`;
}

function value(v: unknown, k: string, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const inner = indent + '    ';
    return `[\n${v.map((x) => `${inner}${value(x, k, inner)},`).join('\n')}\n${indent}]`;
  }
  if (v && typeof v === 'object') return block(v as Record<string, unknown>, indent + '    ');
  return leaf(v, k);
}

/** `state list --json`: each address with its kind and id, sorted (Terraform has no -json here; scripts want one). */
export function listJson(resources: Resources, prefixes: string[]): { resources: { address: string; kind: string; id: string }[] } {
  return { resources: listAddresses(resources, prefixes).map((address) => ({ address, kind: resources[address]!.kind, id: resources[address]!.id })) };
}

/** `state show --json`: one resource with its attributes, secrets as "(sensitive)" by plan's rule; errors as showResource. */
export function showJson(resources: Resources, address: string): { address: string; kind: string; id: string; attributes: unknown } {
  const problem = checkAddress(address);
  if (problem) throw usageError(`${problem}; \`spaceport state list\` prints every address in state`);
  const r = resources[address];
  if (!r) throw new CliError(unknownAddress(resources, address));
  return { address, kind: r.kind, id: r.id, attributes: maskValue(r.attributes) ?? null };
}
