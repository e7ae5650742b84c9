/**
 * Resource targeting, as Terraform's `-target`: a plan of only the changes at or under the given addresses and
 * of what those depend on, so that one resource can be fixed without applying everything else that is pending.
 * Dependencies are what the reconciler knows of them: the resources that contain a change (`apps.web` for
 * `apps.web.config`, a service for its route, a moved parent) and those a change `requires` (an app's add-ons),
 * transitively. Deletes and noops are never pulled in as dependencies. A target that names nothing in the file,
 * the state or the running space is an error (most often a typo), not an empty plan.
 */
import { didYouMean } from '../config/did-you-mean.js';
import { CliError } from '../cli/errors.js';
import { checkAddress, isUnder } from './address.js';
import type { Change } from './types.js';

/** Checks `--target` values; a malformed one is a usage error (exit 2; plan's are 1, as 2 means changes there). */
export function checkTargets(targets: readonly string[], exitCode = 2): void {
  for (const t of targets) {
    const bad = checkAddress(t);
    if (bad) throw new CliError(`--target ${t}: ${bad}; give an address as plan and \`spaceport state list\` print them (apps.web, gateway.services.api)`, exitCode);
  }
}

function hits(c: Change, targets: readonly string[]): boolean {
  return targets.some((t) => isUnder(c.address, t) || (c.from !== undefined && isUnder(c.from, t)));
}

/**
 * Whether `k` cannot be applied without `c`: `c` contains it, or `k` requires it; or `c` is a create under a
 * `whole` create `k` (an app's config and formation, which creating the app makes anyway).
 */
function dependsOn(k: Change, c: Change): boolean {
  if (c.action === 'delete' || c.action === 'noop') return false;
  if (k.address !== c.address && isUnder(k.address, c.address)) return true;
  if (k.whole && k.action === 'create' && c.action === 'create' && c.address !== k.address && isUnder(c.address, k.address)) return true;
  return (k.requires ?? []).includes(c.address);
}

/** The changes of `changes` (every change of a full plan, noops included) that `targets` select, in order. */
export function targetChanges(changes: readonly Change[], targets: readonly string[]): Change[] {
  return targetSelection(changes, targets).chosen;
}

/** The targets' selection, and which of its changes were added as dependencies (for the plan to say so). */
export function targetSelection(changes: readonly Change[], targets: readonly string[]): { chosen: Change[]; added: Change[] } {
  for (const t of targets) {
    if (changes.some((c) => hits(c, [t]))) continue;
    const near = didYouMean(t, new Set(changes.map((c) => c.address)));
    throw new CliError(`--target ${t}: no resource at or under it in spaceport.yaml, the state or the running space${near ? `; did you mean ${near}?` : ''} (\`spaceport state list\` prints the recorded ones)`);
  }
  const keep = new Set(changes.filter((c) => hits(c, targets)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of changes) {
      if (keep.has(c) || ![...keep].some((k) => dependsOn(k, c))) continue;
      keep.add(c);
      grew = true;
    }
  }
  const chosen = changes.filter((c) => keep.has(c));
  return { chosen, added: chosen.filter((c) => !hits(c, targets)) };
}

/**
 * The warning of a targeted plan (Terraform's "Resource targeting is in effect"), naming the changes the targets
 * were expanded with (Terraform includes dependencies silently; saying which avoids a surprise in apply).
 */
export function targetingWarning(targets: readonly string[], added: readonly Change[] = []): string {
  const deps = [...new Set(added.map((c) => c.address))];
  const expanded = deps.length ? ` The targets were expanded with what they depend on: ${deps.join(', ')}.` : '';
  return (
    `Resource targeting is in effect (--target ${targets.join(', --target ')}): this plan holds only the changes of ` +
    `those addresses and of what they depend on, so it may not be all the changes spaceport.yaml asks for, and ` +
    `outputs are left as they are.${expanded} --target is not for routine use: it is for exceptional situations, such ` +
    `as recovering from an error; run \`spaceport plan\` without it to see everything that is pending.`
  );
}
