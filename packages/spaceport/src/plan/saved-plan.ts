/**
 * Saved plans, as Terraform's `plan -out` / `apply FILE`: `spaceport plan --out FILE` records what apply would
 * do, and `spaceport apply FILE` does it without asking, but only if a fresh plan is still exactly that. Anything
 * that changed in between (the file, drift, another apply, a crash-restart that moved a value) makes the saved
 * plan stale, and it is refused: what runs is never something other than what was reviewed.
 *
 * The file holds no values: each change is its address, action and an HMAC of its full, unmasked content keyed
 * by the space's internal key, so secrets are compared without being written down (0600 all the same).
 */
import { createHmac } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from '../cli/errors.js';
import { visibleChanges, type Plan } from './plan.js';
import type { Change } from './types.js';

const FORMAT = 'spaceport-plan';

export interface SavedPlan {
  format: typeof FORMAT;
  version: 1;
  /** The space it was made for (state's spaceId): a plan never applies to another space. */
  spaceId: string;
  /** spaceport.yaml it was made from, for the messages. */
  config: string;
  created: string;
  allowDestroy: boolean;
  /** `plan --target` addresses: apply PLANFILE plans with the same ones (absent: the whole file). */
  targets?: string[];
  /** `plan --replace` addresses: apply PLANFILE plans with the same ones. */
  replace?: string[];
  changes: SavedChange[];
}

export interface SavedChange {
  address: string;
  action: string;
  /** HMAC-SHA256 of everything the change does (not its id, which a create draws anew at each plan). */
  digest: string;
}

/** The changes of `plan`, as a saved plan records them. */
export function fingerprint(plan: Plan, key: string): SavedChange[] {
  return visibleChanges(plan).map((c) => ({ address: c.address, action: c.action, digest: digest(c, key) }));
}

function digest(c: Change, key: string): string {
  const { address, from, action, before, after, drift, reason, destroysData, keepData } = c;
  const content = JSON.stringify({ address, from, action, before, after, drift, reason, destroysData, keepData });
  return createHmac('sha256', key).update(content).digest('hex');
}

/** Writes the saved plan (0600, atomically). */
export function writeSavedPlan(file: string, saved: Omit<SavedPlan, 'format' | 'version' | 'created'>): void {
  const body: SavedPlan = { format: FORMAT, version: 1, created: new Date().toISOString(), ...saved };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/**
 * `plan --out FILE` replaces FILE: refused when that would lose something, the space's own config (`apply
 * spaceport.yaml` used to suggest `plan --out spaceport.yaml`, which overwrote it with the plan) or any existing
 * file that is not a saved plan. A saved plan is replaced, as Terraform's -out does.
 */
export function checkPlanOut(file: string, configFile: string): void {
  if (resolve(file) === resolve(configFile)) {
    throw new CliError(`--out ${file} is the space's config file: the plan would replace it. Save the plan to another file, like --out tfplan`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return; // a new file (anything else, a directory, is for the write to report)
  }
  if (!isSavedPlanText(text)) {
    throw new CliError(`--out ${file}: that file exists and is not a saved plan, and the plan would replace it. Pick another name, like --out tfplan, or remove it first`);
  }
}

function isSavedPlanText(text: string): boolean {
  try {
    return (JSON.parse(text) as { format?: unknown } | null)?.format === FORMAT;
  } catch {
    return false;
  }
}

/** Reads a saved plan, or says why FILE is not one (never suggesting to write a plan over a file that exists). */
export function readSavedPlan(file: string): SavedPlan {
  const config = /\.ya?ml$/i.test(file)
    ? `${file} is a config file, not a saved plan: \`spaceport apply -f ${file}\` applies it (\`spaceport apply\` alone, the nearest spaceport.yaml); a saved plan comes from \`spaceport plan --out PLANFILE\``
    : undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new CliError(`cannot read the saved plan ${file}: no such file; make one with \`spaceport plan --out ${file}\``);
    throw new CliError(config ?? `cannot read the saved plan ${file}: ${e.code ? e.message : 'not JSON'}; a saved plan comes from \`spaceport plan --out PLANFILE\``);
  }
  const p = raw as Partial<SavedPlan> | null;
  if (p?.format !== FORMAT || p.version !== 1 || !Array.isArray(p.changes) || typeof p.spaceId !== 'string') {
    throw new CliError(config ?? `${file} is not a plan saved by \`spaceport plan --out\`; a saved plan comes from \`spaceport plan --out PLANFILE\``);
  }
  return p as SavedPlan;
}

/**
 * Why `saved` may not be applied now that a fresh plan of the same space is `now`, or undefined when it is that
 * plan exactly (order aside: apply orders changes itself).
 */
export function staleness(saved: SavedPlan, spaceId: string, now: SavedChange[]): string | undefined {
  if (saved.spaceId !== spaceId) return `it was made for another space (from ${saved.config})`;
  const key = (c: SavedChange) => `${c.address}\0${c.action}\0${c.digest}`;
  const was = new Set(saved.changes.map(key));
  const is = new Set(now.map(key));
  const differ = new Set<string>();
  for (const c of now) if (!was.has(key(c))) differ.add(c.address);
  for (const c of saved.changes) if (!is.has(key(c))) differ.add(c.address);
  if (differ.size === 0) return undefined;
  const list = [...differ];
  const shown = list.slice(0, 5).join(', ') + (list.length > 5 ? ` and ${list.length - 5} more` : '');
  return `what apply would do changed since it was saved (${shown}): spaceport.yaml, the running space or its state changed`;
}
