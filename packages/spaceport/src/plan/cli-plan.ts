/**
 * `spaceport plan`: refresh, diff, print like `terraform plan` (or `--json`). `--adopt` first writes drift
 * back into spaceport.yaml (comments and layout kept), then shows what is left to apply.
 * Under the resources, "Changes to Outputs" (output-changes.ts); they count as changes for --detailed-exitcode.
 * Exit codes: 0 no changes (or changes without --detailed-exitcode), 2 changes with --detailed-exitcode,
 * 1 errors (including changes that would destroy data without --allow-destroy).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { useColour } from '../cli/format.js';
import { importedChanges, visibleChanges } from './plan.js';
import { outputChangesJson, renderOutputChanges, sessionOutputChanges } from './output-changes.js';
import { planJson, renderPlan } from './render.js';
import { loadConfig, openSession, planSession } from './session.js';
import { checkReplace } from './replace.js';
import { checkTargets } from './target.js';

export interface PlanFlags {
  file?: string;
  json?: boolean;
  detailedExitcode?: boolean;
  adopt?: boolean;
  allowDestroy?: boolean;
  /** Save the plan here for `apply PLANFILE`. */
  out?: string;
  /** `--target`: only these addresses and what they depend on (target.ts). */
  target?: string[];
  /** `--replace`: re-create these resources (replace.ts). */
  replace?: string[];
}

export async function runPlan(flags: PlanFlags): Promise<number> {
  const targets = flags.target ?? [];
  checkTargets(targets, 1);
  const replace = flags.replace ?? [];
  checkReplace(replace, 1);
  const s = await openSession(flags.file);
  if (flags.out) (await import('./saved-plan.js')).checkPlanOut(flags.out, s.space.file);
  let plan = await planSession(s, { allowDestroy: flags.allowDestroy, targets, replace });
  const notes: string[] = [];
  if (flags.adopt) {
    const lock = await s.store.lockForApply('spaceport plan --adopt', { timeoutMs: 10_000 });
    try {
      // Loaded only here: adopt edits the file with the `yaml` library, whose import alone costs 90-350 ms.
      const { adoptionFor, editYaml } = await import('./adopt.js');
      const a = adoptionFor(plan, s.set.providers);
      if (a.edits.length) {
        const text = readFileSync(s.space.file, 'utf8');
        writeFileSync(s.space.file, editYaml(text, a.edits));
        // What runs is now what the file says: state records it, so later drift is measured from it.
        s.store.update((st) => {
          for (const c of a.adopted) {
            if (c.before === undefined) delete st.resources[c.address];
            else st.resources[c.address] = { id: c.id, kind: c.kind, attributes: c.before };
          }
        });
        s.space = await loadConfig(s.space.file);
        plan = await planSession(s, { allowDestroy: flags.allowDestroy, targets, replace });
      }
      for (const c of a.adopted) notes.push(`Adopted into ${s.paths.file}: ${c.address} (${c.action === 'delete' ? 'created' : c.action === 'create' ? 'deleted' : 'changed'} outside Spaceport)`);
      for (const c of a.unsupported) notes.push(`Cannot adopt ${c.address} (${c.kind}): apply will undo that change`);
    } finally {
      lock.release();
    }
  }
  const changes = visibleChanges(plan);
  // A targeted plan leaves outputs as they are (targeting warns so), as apply with --target does not record them.
  const outs = targets.length ? { changes: [], problems: [] } : await sessionOutputChanges(s);
  if (flags.json) {
    const json: Record<string, unknown> = planJson(plan, { providers: s.set.providers });
    if (outs.changes.length) json.output_changes = outputChangesJson(outs.changes);
    console.log(JSON.stringify(json, null, 2));
  } else {
    for (const n of notes) console.log(n);
    if (notes.length) console.log('');
    process.stdout.write(renderPlan(plan, { color: useColour(), providers: s.set.providers }) + renderOutputChanges(outs.changes, changes.length === 0));
  }
  for (const p of outs.problems) console.error(`Warning: ${p}`);
  if (plan.refusals.length) {
    if (flags.out) console.error(`The plan was not saved to ${flags.out}: it cannot be applied as it is.`);
    return 1;
  }
  if (flags.out) {
    const { fingerprint, writeSavedPlan } = await import('./saved-plan.js');
    const st = s.store.read();
    writeSavedPlan(flags.out, { spaceId: st.spaceId, config: s.space.file, allowDestroy: flags.allowDestroy ?? false, ...(targets.length ? { targets } : {}), ...(replace.length ? { replace } : {}), changes: fingerprint(plan, st.internalApiKey ?? st.spaceId) });
    // On stderr: --json keeps stdout one JSON document.
    console.error(`\nSaved the plan to ${flags.out}. To do exactly this: spaceport apply ${flags.out}`);
  }
  return flags.detailedExitcode && (changes.length || outs.changes.length || importedChanges(plan).length) ? 2 : 0;
}
