/**
 * The edm apps take the internal-key check from the workspace package @spaceport/internal-auth (no copy of their
 * own), and a change in that package reaches them: it is a change of all five in their source hash (so plan shows
 * it and apply builds and releases them), and each app's build (`tsc -b`, a project reference to the package)
 * builds the package's dist/, which the dynos load. Checked on a copy of the repository's layout, since the test
 * edits the package.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceHash } from '../packages/spaceport/src/plan/builds.js';
import { workspacePackages } from '../packages/spaceport/src/plan/workspace-packages.js';
import { EDM_APPS, ROOT } from './edm-support.js';

const tmp = mkdtempSync(join(tmpdir(), 'sp-edm-auth-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// As in a fresh clone: no build outputs (tsc -b's tsconfig.tsbuildinfo included), no installs, no state.
const skip = (src: string) => !/\/(node_modules|dist|\.spaceport|[^/]*\.tsbuildinfo)$/.test(src);

/** examples/edm and packages/internal-auth (sources only) with the root's tsconfig, linked as npm links them. */
function copyRepo(): string {
  const repo = join(tmp, 'repo');
  cpSync(join(ROOT, 'examples', 'edm'), join(repo, 'examples', 'edm'), { recursive: true, filter: skip });
  cpSync(join(ROOT, 'packages', 'internal-auth'), join(repo, 'packages', 'internal-auth'), { recursive: true, filter: skip });
  cpSync(join(ROOT, 'tsconfig.base.json'), join(repo, 'tsconfig.base.json'));
  mkdirSync(join(repo, 'node_modules', '@spaceport'), { recursive: true });
  symlinkSync(join('..', '..', 'packages', 'internal-auth'), join(repo, 'node_modules', '@spaceport', 'internal-auth'));
  // What edm-ui's build needs from the registry, from the real install.
  for (const dep of ['typescript', '@types']) symlinkSync(realpathSync(join(ROOT, 'node_modules', dep)), join(repo, 'node_modules', dep));
  return repo;
}

test('no edm app keeps its own copy of the key check: each server takes internalCheck from @spaceport/internal-auth', () => {
  for (const app of EDM_APPS) {
    const src = join(ROOT, 'examples', 'edm', 'apps', app, 'src');
    const own = readdirSync(src).filter((f) => !f.endsWith('.test.ts') && /timingSafeEqual|isInternal\(/.test(readFileSync(join(src, f), 'utf8')));
    assert.deepEqual(own, [], `${app} checks the key itself`);
    assert.match(readFileSync(join(src, 'server.ts'), 'utf8'), /import \{ internalCheck \} from '@spaceport\/internal-auth';[\s\S]*authorized: internalCheck\(\)/, app);
  }
});

test('a change in @spaceport/internal-auth changes the source of all five edm apps, and their build builds it', () => {
  const repo = copyRepo();
  const pkg = join(repo, 'packages', 'internal-auth');
  const apps = EDM_APPS.map((a) => ({ name: a, root: join(repo, 'examples', 'edm', 'apps', a), include: a === 'edm-ui' || a === 'edm-dashboard' ? [] : [join(repo, 'examples', 'edm', 'shared')] }));
  for (const a of apps) assert.deepEqual(workspacePackages(a.root, a.include), [realpathSync(pkg)], a.name);
  const before = apps.map((a) => sourceHash(a.root, a.include));

  const index = join(pkg, 'src', 'index.ts');
  writeFileSync(index, readFileSync(index, 'utf8').replace("export const HEADER = 'x-internal-api-key';", "export const HEADER = 'x-internal-api-key';\nexport const CHANGED = 'in this test';"));
  const changed = apps.map((a) => sourceHash(a.root, a.include));
  apps.forEach((a, i) => assert.notEqual(changed[i], before[i], `${a.name}'s source hash`));

  // The app's own build (npm run build = tsc -b) brings the change into the package's dist/, which its dyno loads.
  const ui = apps.find((a) => a.name === 'edm-ui')!;
  const script = (JSON.parse(readFileSync(join(ui.root, 'package.json'), 'utf8')) as { scripts: { build: string } }).scripts.build;
  assert.equal(script, 'tsc -b');
  execFileSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], { cwd: ui.root, stdio: 'pipe' });
  assert.match(readFileSync(join(pkg, 'dist', 'index.js'), 'utf8'), /CHANGED = 'in this test'/);
  assert.match(readFileSync(join(ui.root, 'dist', 'server.js'), 'utf8'), /from '@spaceport\/internal-auth'/);
  // Outputs are not source: building changed no hash.
  assert.deepEqual(apps.map((a) => sourceHash(a.root, a.include)), changed);
});
