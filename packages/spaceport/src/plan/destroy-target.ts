/**
 * `destroy --target ADDRESS`, as Terraform's `destroy -target`: the deletes at or under the targets, and the
 * deletes of everything that depends on them, transitively: what lies under a destroyed resource, and what
 * `requires` it (a gateway service pointing at a destroyed app, an app attaching a destroyed add-on). Terraform
 * destroys dependents first rather than refusing, so a destroy never leaves a resource pointing at nothing; the
 * plan names each one added and why, and the question comes after it. Nothing a target depends on is touched.
 */
import { didYouMean } from '../config/did-you-mean.js';
import { CliError } from '../cli/errors.js';
import { isUnder } from './address.js';
import type { Change } from './types.js';

export interface DestroySelection {
  chosen: Change[];
  /** Dependents added, each with the destroyed address it depends on. */
  added: { change: Change; on: string }[];
}

/** Selects, from a destroy plan's changes, the targets' deletes and their dependents' (in plan order). */
export function destroySelection(changes: readonly Change[], targets: readonly string[]): DestroySelection {
  const deletes = changes.filter((c) => c.action === 'delete');
  const keep = new Set<Change>();
  for (const t of targets) {
    const hit = deletes.filter((c) => isUnder(c.address, t));
    if (hit.length === 0) {
      const near = didYouMean(t, new Set(deletes.map((c) => c.address)));
      throw new CliError(`--target ${t}: nothing at or under it runs or is recorded in state${near ? `; did you mean ${near}?` : ''}; nothing was destroyed (\`spaceport state list\` prints the recorded addresses)`);
    }
    for (const c of hit) keep.add(c);
  }
  const added: DestroySelection['added'] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of deletes) {
      if (keep.has(d)) continue;
      const on = [...keep].find((k) => isUnder(d.address, k.address) || (d.requires ?? []).some((r) => isUnder(r, k.address)));
      if (!on) continue;
      keep.add(d);
      if (!targets.some((t) => isUnder(d.address, t)) && !isUnder(d.address, on.address)) added.push({ change: d, on: on.address });
      grew = true;
    }
  }
  return { chosen: changes.filter((c) => keep.has(c)), added };
}

/** The warning a targeted destroy prints: Terraform's targeting warning, and the dependents it destroys too. */
export function destroyTargetWarnings(targets: readonly string[], added: DestroySelection['added']): string[] {
  const out = [
    `Resource targeting is in effect (--target ${targets.join(', --target ')}): only those resources, what lies under them ` +
      `and what depends on them are destroyed. --target is not for routine use: it is for exceptional situations, such as ` +
      `recovering from an error. spaceport.yaml still declares them: the next plan proposes to create them again.`,
  ];
  if (added.length) {
    out.push(`Destroyed too, because they depend on a destroyed resource (Terraform destroys dependents rather than leave them pointing at nothing): ${added.map((a) => `${a.change.address} (on ${a.on})`).join(', ')}`);
  }
  return out;
}
