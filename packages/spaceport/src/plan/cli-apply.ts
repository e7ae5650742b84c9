/**
 * `spaceport apply`: takes the apply lock (a second apply waits, then fails naming the holder), plans, asks
 * (unless --auto-approve), applies with one progress line per resource, records outputs. A failure of some
 * resources is reported with each reason; everything that succeeded stays applied and recorded.
 */
import { createInterface } from 'node:readline/promises';
import { useColour } from '../cli/format.js';
import { call } from '../cli/client.js';
import { CliError, usageError } from '../cli/errors.js';
import { applyPlan } from './apply.js';
import { recordOutputs as recordSpaceOutputs, type StatusForOutputs } from './outputs.js';
import { importedChanges, visibleChanges, type Plan } from './plan.js';
import { renderOutputChanges, sessionOutputChanges } from './output-changes.js';
import { renderPlan, summarize } from './render.js';
import { fingerprint, readSavedPlan, staleness } from './saved-plan.js';
import { openSession, parseTimeout, planSession, type Session } from './session.js';
import { checkReplace } from './replace.js';
import { checkTargets } from './target.js';
import type { Change } from './types.js';

export interface ApplyFlags {
  file?: string;
  autoApprove?: boolean;
  allowDestroy?: boolean;
  lockTimeout?: string;
  /** A plan saved by `plan --out`: applied without asking if a fresh plan is exactly it, refused otherwise. */
  planFile?: string;
  /** `--target`: only these addresses and what they depend on (target.ts). */
  target?: string[];
  /** `--replace`: re-create these resources (replace.ts). */
  replace?: string[];
}

const VERB: Record<string, [string, string]> = {
  create: ['Creating...', 'Creation complete'],
  update: ['Modifying...', 'Modifications complete'],
  replace: ['Replacing...', 'Replacement complete'],
  delete: ['Destroying...', 'Destruction complete'],
  move: ['Moving...', 'Move complete'],
};

/** Asks on the terminal; without one, an unapproved apply is refused (scripts pass --auto-approve). */
export async function confirm(question: string, command = 'apply'): Promise<boolean> {
  if (!process.stdin.isTTY) throw new CliError(`${command} needs approval: run it on a terminal, or pass --auto-approve`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`${question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: `);
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

export async function runApply(flags: ApplyFlags): Promise<number> {
  const saved = flags.planFile ? readSavedPlan(flags.planFile) : undefined;
  if (saved && flags.target?.length) {
    throw usageError(`--target cannot be given with a saved plan: ${flags.planFile} applies what it was saved with${saved.targets?.length ? ` (--target ${saved.targets.join(', --target ')})` : ''}; make a targeted one with \`spaceport plan --target ADDRESS --out ${flags.planFile}\``);
  }
  if (saved && flags.replace?.length) {
    throw usageError(`--replace cannot be given with a saved plan: ${flags.planFile} applies what it was saved with; make one with \`spaceport plan --replace ADDRESS --out ${flags.planFile}\``);
  }
  const targets = saved ? (saved.targets ?? []) : (flags.target ?? []);
  checkTargets(targets);
  const replace = saved ? (saved.replace ?? []) : (flags.replace ?? []);
  checkReplace(replace);
  const s = await openSession(flags.file);
  const lock = await s.store.lockForApply('spaceport apply', {
    timeoutMs: parseTimeout(flags.lockTimeout, 10_000),
    onWait: (h) => console.error(`Waiting for the state lock: held by pid ${h.pid} (${h.what}, since ${h.since})...`),
  });
  try {
    // A saved plan carries its own consent (--allow-destroy given to plan --out), and was reviewed: no question.
    const plan = await planSession(s, { allowDestroy: saved ? saved.allowDestroy : flags.allowDestroy, targets, replace });
    if (saved) {
      const st = s.store.read();
      const why = staleness(saved, st.spaceId, fingerprint(plan, st.internalApiKey ?? st.spaceId));
      if (why) {
        console.error(`spaceport: the saved plan ${flags.planFile} is stale: ${why}. Nothing was applied; run \`spaceport plan --out ${flags.planFile}\` again, review it, and apply that.`);
        return 1;
      }
    }
    return await execute(s, plan, saved !== undefined || (flags.autoApprove ?? false), targets.length > 0);
  } finally {
    lock.release();
  }
}

/** Shows the plan, asks, applies; returns the exit code. A targeted plan (`--target`) leaves outputs alone. */
export async function execute(s: Session, plan: Plan, autoApprove: boolean, targeted = false): Promise<number> {
  const color = useColour();
  const changes = visibleChanges(plan);
  if (plan.refusals.length) {
    process.stdout.write(renderPlan(plan, { color, providers: s.set.providers }));
    return 1;
  }
  const outs = targeted ? [] : (await sessionOutputChanges(s)).changes;
  const imports = importedChanges(plan);
  if (changes.length === 0) {
    // Nothing to do: noops still refresh state (ids for what `up` started), without a write when unchanged.
    await applyPlan(plan, s.set.providers, s.store);
    if (!targeted) await recordOutputs(s);
    // Imports only record what runs as the file says: nothing changes in the space, so nothing to approve.
    if (imports.length) console.log(`Imported into state: ${imports.map((c) => c.address).join(', ')} (each runs as spaceport.yaml says).`);
    console.log(targeted ? 'No changes to the targeted resources.' : 'No changes. The running space matches the configuration.');
    if (targeted) for (const w of plan.warnings) console.log(`\nWarning: ${w}`);
    if (outs.length) process.stdout.write(renderOutputChanges(outs, false) + '\nOutput values recorded.\n');
    printOutputs(s);
    return 0;
  }
  process.stdout.write(renderPlan(plan, { color, providers: s.set.providers }) + renderOutputChanges(outs, false));
  if (!autoApprove && !(await confirm('\nDo you want to perform these actions?'))) {
    console.log('\nApply cancelled.');
    return 1;
  }
  console.log('');
  const label = (c: Change) => (c.action === 'move' ? `${c.from} -> ${c.address}` : c.address);
  const result = await applyPlan(plan, s.set.providers, s.store, {
    progress: {
      start: (c) => console.log(`${label(c)}: ${VERB[c.action]![0]}`),
      done: (c, ms) => console.log(`${label(c)}: ${VERB[c.action]![1]} after ${(ms / 1000).toFixed(1)}s`),
      failed: (c, e) => console.log(`${label(c)}: failed: ${e.message}`),
      skipped: (c, why) => console.log(`${label(c)}: ${why}`),
    },
  });
  if (!targeted) await recordOutputs(s);
  const n = summarize(result.applied);
  const done = `Resources: ${imports.length ? `${imports.length} imported, ` : ''}${n.add} added, ${n.change} changed, ${n.destroy} destroyed, ${n.move} moved.`;
  if (result.failed.length === 0 && result.skipped.length === 0) {
    console.log(`\nApply complete! ${done}`);
    if (targeted) console.log(INCOMPLETE);
    else printOutputs(s);
    return 0;
  }
  console.log(`\nApply incomplete: ${done} ${result.failed.length} failed, ${result.skipped.length} skipped.`);
  for (const f of result.failed) console.log(`  Error: ${f.change.address}: ${f.error}`);
  for (const k of result.skipped) console.log(`  ${k.change.address}: ${k.reason}`);
  console.log('Everything else is applied and recorded; fix the errors and run apply again.');
  return 1;
}

/** Terraform's warning after an apply with -target. */
const INCOMPLETE =
  '\nWarning: Applied changes may be incomplete: the plan was made with --target, so changes of other resources ' +
  'that spaceport.yaml asks for, and its outputs, were left out. To see what is still pending: spaceport plan';

/** After a successful apply, the outputs as terraform apply prints them (sensitive ones masked). */
function printOutputs(s: Session): void {
  const outputs = Object.entries(s.store.read().outputs ?? {});
  if (outputs.length === 0) return;
  console.log('\nOutputs:\n');
  for (const [k, o] of outputs) console.log(`${k} = ${o.sensitive ? '(sensitive value)' : JSON.stringify(o.value)}`);
}

async function recordOutputs(s: Session): Promise<void> {
  if (Object.keys(s.space.config.outputs).length === 0 && Object.keys(s.store.read().outputs ?? {}).length === 0) return;
  // A fresh status, not the session's: the apply may have just started what an output refers to (an internal_url).
  const { problems } = recordSpaceOutputs(s.space, s.store, await call<StatusForOutputs>(s.paths, 'GET', '/v1/status'));
  for (const p of problems) console.error(`Warning: ${p}`);
}
