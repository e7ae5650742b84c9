/** Foreground `up`: this process is the control plane; it prints the merged log stream until Ctrl-C. */
import { ControlPlane } from '../control/plane.js';
import { installExitHandlers } from '../control/lifecycle.js';
import { CliError } from './errors.js';
import { renderLogLine, useColour } from './format.js';
import { loadOrExplain } from './load-or-explain.js';
import { call } from './client.js';
import { locateSpace, recordOwner } from './space.js';
import { upSummary, type UpStatus } from './up-summary.js';
import { StartProgress } from './start-progress.js';
import { FAILED_RELEASE_HINT, failedStartRelease, newestReleases } from '../control/start-releases.js';

export async function upForeground(file?: string): Promise<void> {
  const space = await loadOrExplain(file);
  const colour = useColour();
  // On a terminal, a progress line sits under the logs until the space is up (or failed).
  let progress: StartProgress | undefined = process.stdout.isTTY ? new StartProgress(space, process.stdout) : undefined;
  const plane = new ControlPlane(space, (l) => {
    const text = renderLogLine(l, colour);
    if (progress) progress.print(text, l);
    else process.stdout.write(text + '\n');
  });
  progress?.start();
  installExitHandlers(plane); // Ctrl-C during a long build stops cleanly too
  const before = newestReleases(plane.state.read(), Object.keys(space.config.apps));
  let r;
  try {
    r = await plane.start();
  } catch (err) {
    throw new CliError((err as Error).message);
  } finally {
    progress?.stop();
    progress = undefined;
  }
  // This control plane started (none of another file's ran here): the state is this file's space.
  if (r.ok || r.running) recordOwner(locateSpace(space.file));
  if (!r.ok && !r.running) {
    process.exitCode = 1;
    await plane.stop();
    return;
  }
  const release = r.ok ? failedStartRelease(plane.state.read(), before) : undefined;
  if (release) {
    // The space runs (the previous release): the stream goes on, but the box would say the change is up.
    console.error(`spaceport: ${plane.withLastOutput(release)}\n${FAILED_RELEASE_HINT}`);
    process.exitCode = 1;
  } else if (r.ok) {
    const status = await call<UpStatus>(locateSpace(space.file), 'GET', '/v1/status');
    const { text, problems } = upSummary(space, status, colour);
    for (const p of problems) console.error(`Warning: ${p}`);
    process.stdout.write(`${text}\n`);
  }
}
