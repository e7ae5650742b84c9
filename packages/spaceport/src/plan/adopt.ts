/**
 * `plan --adopt`: writes drift (what was changed outside Spaceport) back into spaceport.yaml instead of
 * undoing it. Edits splice only the text of the values they change (positions from the yaml Document
 * API), so comments, key order, flow or block style and blank lines survive.
 */
import { deleteYamlValue, setYamlValue } from './yaml-edit.js';
import type { Plan } from './plan.js';
import type { AnyProvider, Change, YamlEdit } from './types.js';

export interface Adoption {
  /** The drifted changes adopted. */
  adopted: Change[];
  /** Drifted changes whose provider cannot write them into the file. */
  unsupported: Change[];
  edits: YamlEdit[];
}

/** The file edits that adopt every drifted change of `plan`. */
export function adoptionFor(plan: Plan, providers: readonly AnyProvider<unknown>[]): Adoption {
  const byKind = new Map(providers.map((p) => [p.kind, p]));
  const out: Adoption = { adopted: [], unsupported: [], edits: [] };
  for (const c of plan.changes) {
    if (!c.drift || c.action === 'noop' || c.action === 'move') continue;
    const p = byKind.get(c.kind);
    if (!p?.adopt) {
      out.unsupported.push(c);
      continue;
    }
    // Drift with nothing to write (a password the gateway never shows) cannot be adopted.
    const edits = p.adopt(c.address, c.before, c.after);
    if (edits.length === 0) {
      out.unsupported.push(c);
      continue;
    }
    out.edits.push(...edits);
    out.adopted.push(c);
  }
  return out;
}

/** Applies `edits` to YAML `text`, keeping every other byte of the file as it was. */
export function editYaml(text: string, edits: readonly YamlEdit[]): string {
  let out = text;
  for (const e of edits) out = e.value === undefined ? deleteYamlValue(out, e.path) : setYamlValue(out, e.path, e.value);
  return out;
}
