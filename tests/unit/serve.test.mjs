// `npm start`'s server: a port in use gives one clear line and exit status 1, not a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';

const serveScript = new URL('../../scripts/serve.mjs', import.meta.url).pathname;

test('a port in use is one line naming the port and PORT', async () => {
  const blocker = net.createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address();
  try {
    const r = spawnSync(process.execPath, [serveScript], {
      env: { ...process.env, PORT: String(port) },
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], new RegExp(`^outtake demo: port ${port} is in use .*PORT=`));
  } finally {
    blocker.close();
  }
});
