// The web-platform-tests WebVTT file-parsing assertions (../shared/conformance/webvtt), evaluated
// against any parser's output mapped to the browser's TextTrack shape: how the peers score.
import fs from 'node:fs';
import path from 'node:path';

function lookup(obj, p) {
  let cur = obj;
  for (const part of p.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (cur === null || cur === undefined) return undefined;
    cur = cur[part];
  }
  return cur;
}

// Region identity: the same object, or (for plain JSON that crossed a boundary) the same `index`.
const same = (a, b) =>
  a === b || (a && b && typeof a === 'object' && 'index' in a && a.index === b.index);

const close = (a, b) =>
  typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : a === b;

/**
 * Runs `parse(bytes) → {cues: [...TextTrack-shaped]}` over the suite (parse may be async);
 * returns {passed, total, failures: ["file: path op value (got …)"]}.
 */
export async function fileParsingScore(dir, parse) {
  let passed = 0,
    total = 0;
  const failures = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const spec = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const bytes = fs.readFileSync(path.join(dir, f.replace(/\.json$/, '.vtt')));
    let result;
    try {
      result = await parse(bytes);
    } catch {
      result = null;
    }
    for (const a of spec.assertions) {
      total++;
      if (!result) continue;
      const got = lookup(result, a.path);
      let ok = false;
      if (a.op === 'eq') ok = close(got, a.value);
      else if (a.op === 'ne') ok = !close(got, a.value);
      else if (a.op === 'truthy') ok = !!got;
      else if (a.op === 'same') ok = got !== undefined && same(got, lookup(result, a.value));
      else if (a.op === 'not_same') ok = !same(got, lookup(result, a.value));
      if (ok) passed++;
      else
        failures.push(
          `${f}: ${a.path} ${a.op} ${JSON.stringify(a.value)} (got ${JSON.stringify(got)})`,
        );
    }
  }
  return { passed, total, failures };
}
