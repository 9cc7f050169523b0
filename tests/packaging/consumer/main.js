// What a user's page does with the installed package; the same file is built by webpack, by Vite,
// and loaded as-is by a plain page. It reports to window.__result for the test to read.
import { version, snapTime, snapTimes, frameAt, OuttakeError } from 'outtake';
import 'outtake/editor';

async function main() {
  const r = {};
  r.version = await version();
  r.snap = await snapTime(1.0, '30000/1001');
  r.frame = await frameAt(1.001, 29.97);
  r.worker = Array.from(await snapTimes([0.26, 0.74], 2, 'floor'));
  try {
    await frameAt(1, 'not a rate');
    r.error = 'no error';
  } catch (e) {
    r.error = { isOuttake: e instanceof OuttakeError, code: e.code, message: e.message };
  }
  const el = document.createElement('outtake-editor');
  document.body.append(el);
  r.element = el.shadowRoot && el.video instanceof HTMLVideoElement;
  window.__result = r;
}
main().catch((e) => {
  window.__result = { failed: String(e?.stack || e) };
});
