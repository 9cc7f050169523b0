// Where the shared conformance, media and OTIO data lives: ../shared beside the repository.
// OUTTAKE_SHARED=none hides it, so that a run shows what a user's clone (which has no ../shared)
// sees: every test that needs it must skip, and every other test must pass alone.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(new URL('../../', import.meta.url).pathname);

/** Whether the shared data is hidden on purpose (OUTTAKE_SHARED=none). */
export const sharedHidden = process.env.OUTTAKE_SHARED === 'none';

/** The path of `rel` under ../shared, or null when it is absent or hidden. */
export function sharedPath(rel) {
  if (sharedHidden) return null;
  const p = path.resolve(ROOT, '../shared', rel);
  return fs.existsSync(p) ? p : null;
}

/** A `skip` option for node:test: false when ../shared/`rel` is there, else why it is not. */
export function skipWithoutShared(rel) {
  if (sharedPath(rel)) return false;
  return `skipping: ../shared/${rel} is ${sharedHidden ? 'hidden (OUTTAKE_SHARED=none)' : 'absent'}`;
}
