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

const close = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) < 1e-9 : a === b);

/** Runs `parse(bytes) → {cues: [...TextTrack-shaped]}` over the suite; returns {passed, total}. */
export function fileParsingScore(dir, parse) {
  let passed = 0, total = 0;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const spec = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    const bytes = fs.readFileSync(path.join(dir, f.replace(/\.json$/, '.vtt')));
    let result;
    try {
      result = parse(bytes);
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
      else if (a.op === 'same') ok = got !== undefined && got === lookup(result, a.value);
      else if (a.op === 'not_same') ok = got !== lookup(result, a.value);
      if (ok) passed++;
    }
  }
  return { passed, total };
}
