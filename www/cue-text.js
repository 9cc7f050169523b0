// Cue text as people edit it: entities decoded (`&` rather than `&amp;`) and markup (`<i>`, `<v>`)
// kept as written; and back to WebVTT cue text on every edit. `&lt;` and `&gt;` stay as they
// are, since a bare `<` would read as the start of a tag.

const NAMED = { amp: '&', nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f' };

/** WebVTT cue text → the text shown in the cue editor. */
export function decodeCueText(text) {
  return text.replace(/&(amp|nbsp|lrm|rlm|#\d+|#x[0-9a-f]+);/gi, (all, name) => {
    const lower = name.toLowerCase();
    if (lower in NAMED) return NAMED[lower];
    const code = lower.startsWith('#x')
      ? Number.parseInt(lower.slice(2), 16)
      : Number.parseInt(lower.slice(1), 10);
    // A decoded `<`, `>` or `&` would change what the text means: keep the reference.
    if (code === 0x3c || code === 0x3e || code === 0x26 || code > 0x10ffff) return all;
    return String.fromCodePoint(code);
  });
}

/** The cue editor's text → WebVTT cue text: a lone `&` becomes `&amp;`. */
export function encodeCueText(text) {
  return text.replace(/&(?!(lt|gt|amp|nbsp|lrm|rlm|#\d+|#x[0-9a-f]+);)/gi, '&amp;');
}

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
