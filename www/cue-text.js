// Which cue each of the caption parser's diagnostics belongs to; decoding and encoding cue text
// for editing comes from the package (js/cue-text.js, shared with <outtake-editor editable>).
export { decodeCueText, encodeCueText } from 'outtake/cue-text.js';

/**
 * Which cue each parser diagnostic belongs to: the cue whose block holds its line. `source` is
 * the text parsed; cues are found by their timing lines (`-->`) whose start matches the cue's
 * start. Returns a Map cue index → diagnostics, and the diagnostics before any cue under -1.
 */
export function diagnosticsByCue(source, cues, diagnostics) {
  const lines = source.split(/\r\n|\r|\n/);
  const starts = []; // [line (1-based), cue index]
  let next = 0;
  lines.forEach((line, i) => {
    const m = /^\s*(?:(\d+):)?(\d+):(\d+)[,.:](\d+)\s*-->/.exec(line);
    if (!m || next >= cues.length) return;
    const t = (Number(m[1] || 0) * 60 + Number(m[2])) * 60 + Number(m[3]) + Number(`0.${m[4]}`);
    if (Math.abs(t - cues[next].startTime) < 0.0015) starts.push([i + 1, next++]);
  });
  const out = new Map();
  for (const d of diagnostics) {
    // A block starts one line above its timing line (the SRT index, or a WebVTT cue id).
    let cue = -1;
    for (const [line, index] of starts) if (line - 1 <= d.line) cue = index;
    out.set(cue, [...(out.get(cue) ?? []), d]);
  }
  return out;
}
