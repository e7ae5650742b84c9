/**
 * "Changes to Outputs", as `terraform plan` shows them: the file's `outputs:` resolved against the running space,
 * compared with those state recorded at the last apply (or up). Apply records them even when no resource
 * changes; the plan says so, and `--detailed-exitcode` counts them as changes, as Terraform does.
 */
import type { OutputRecord } from '../state/schema.js';
import type { Session } from './session.js';
import { resolveOutputs, type StatusForOutputs } from './outputs.js';

export interface OutputChange {
  name: string;
  action: 'create' | 'update' | 'delete';
  before?: string;
  after?: string;
  sensitive: boolean;
  /** Its value is known only once apply has started what it refers to (a new app's internal_url). */
  unknown?: boolean;
}

/** Outputs whose value (or sensitivity) differs from what state recorded, in the file's order, then removed ones. */
export function diffOutputs(recorded: Readonly<Record<string, OutputRecord>>, resolved: Readonly<Record<string, OutputRecord>>): OutputChange[] {
  const out: OutputChange[] = [];
  for (const [name, now] of Object.entries(resolved)) {
    const was = recorded[name];
    if (!was) out.push({ name, action: 'create', after: now.value, sensitive: now.sensitive });
    else if (was.value !== now.value || was.sensitive !== now.sensitive) out.push({ name, action: 'update', before: was.value, after: now.value, sensitive: now.sensitive || was.sensitive });
  }
  for (const [name, was] of Object.entries(recorded)) {
    if (!(name in resolved)) out.push({ name, action: 'delete', before: was.value, sensitive: was.sensitive });
  }
  return out;
}

/** The output changes of a session's space now, with the references that cannot be resolved. */
export async function sessionOutputChanges(s: Session): Promise<{ changes: OutputChange[]; problems: string[] }> {
  const recorded = s.store.read().outputs ?? {};
  if (Object.keys(s.space.config.outputs).length === 0 && Object.keys(recorded).length === 0) return { changes: [], problems: [] };
  const gw = (await s.control<StatusForOutputs>('GET', '/v1/status')).services?.gateway;
  const { outputs, problems, pending } = resolveOutputs(s.space, { gateway: gw?.listen, admin: gw?.admin, internal: gw?.internal });
  const changes = diffOutputs(recorded, outputs);
  for (const c of changes) if (pending.includes(c.name)) Object.assign(c, { unknown: true, after: undefined });
  // Before apply, a reference to what apply starts is no problem yet: apply reports it if it stays unresolved.
  return { changes, problems: problems.filter((p) => !pending.some((n) => p.startsWith(`output ${n}: `))) };
}

/** The block printed under the plan; empty without changes. Sensitive values print as `(sensitive value)`. */
export function renderOutputChanges(changes: readonly OutputChange[], noResourceChanges: boolean): string {
  if (changes.length === 0) return '';
  const w = Math.max(...changes.map((c) => c.name.length));
  const show = (c: OutputChange, v: string | undefined, after = false) =>
    after && c.unknown ? '(known after apply)' : v === undefined ? 'null' : c.sensitive ? '(sensitive value)' : JSON.stringify(v);
  const lines = ['', 'Changes to Outputs:'];
  for (const c of changes) {
    const sym = c.action === 'create' ? '+' : c.action === 'update' ? '~' : '-';
    const value = c.action === 'create' ? show(c, c.after, true) : `${show(c, c.before)} -> ${show(c, c.after, true)}`;
    lines.push(`  ${sym} ${c.name.padEnd(w)} = ${value}`);
  }
  if (noResourceChanges) lines.push('', 'Apply records these output values in the state, without changing anything that runs.');
  return lines.join('\n') + '\n';
}

/** `--json`: the changes with sensitive values masked. */
export function outputChangesJson(changes: readonly OutputChange[]): Record<string, unknown>[] {
  return changes.map((c) => ({
    name: c.name,
    action: c.action,
    before: c.before === undefined ? null : c.sensitive ? '(sensitive)' : c.before,
    after: c.after === undefined ? null : c.sensitive ? '(sensitive)' : c.after,
    sensitive: c.sensitive,
    ...(c.unknown ? { unknown: true } : {}),
  }));
}
