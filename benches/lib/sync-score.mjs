// Scoring caption synchronisation against the corpus truth (scripts/sync_corpus.py): output cues
// are matched to truth by index (a desync keeps their order and count), and each file gets the
// share of cue starts within 50/100/400 ms, whether it failed, abstained, or was rescaled.

/** SRT or WebVTT text → [{start, end}] in seconds, in file order. */
export function parseCues(text) {
  const cues = [];
  const re =
    /(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{3})\s*-->\s*(?:(\d+):)?(\d{1,2}):(\d{2})[,.](\d{3})/g;
  const sec = (h, m, s, ms) =>
    Number(h || 0) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
  for (const m of text.matchAll(re)) {
    cues.push({ start: sec(m[1], m[2], m[3], m[4]), end: sec(m[5], m[6], m[7], m[8]) });
  }
  return cues;
}

export const THRESHOLDS = [0.05, 0.1, 0.4];
/** A cue is unchanged when it moved by at most the SRT rounding. */
const UNCHANGED = 0.0015;
/** The smallest real frame-rate ratio is 1.001 (24/23.976, 30/29.97); half of it counts. */
const RESCALE = 0.0005;

function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * The scale the tool applied: the median slope of output against input starts over pairs of cues
 * at least 5 s apart (Theil–Sen), taken only within stretches where the truth's offset is
 * constant, so that splits (piecewise offsets) do not read as a rescale.
 */
export function appliedScale(input, output, truth) {
  const seg = [0];
  for (let i = 1; i < input.length; i++) {
    const d0 = truth[i - 1].start - input[i - 1].start,
      d1 = truth[i].start - input[i].start;
    seg.push(Math.abs(d1 - d0) > 0.5 ? seg[i - 1] + 1 : seg[i - 1]);
  }
  const slopes = [];
  for (let i = 0; i < input.length; i++) {
    for (let j = i + 1; j < input.length; j++) {
      if (seg[i] !== seg[j]) continue;
      const dx = input[j].start - input[i].start;
      if (dx >= 5) slopes.push((output[j].start - output[i].start) / dx);
    }
  }
  return median(slopes);
}

/**
 * One file. `meta` is the case's meta.json; `output` null when the tool failed.
 * Returns {n, within: [count per threshold], failed, error, abstained, rescaled, scale}.
 */
export function scoreCase({ truth, input, output, meta, error }) {
  const n = truth.length;
  const r = {
    n,
    within: THRESHOLDS.map(() => 0),
    failed: false,
    error: error || null,
    abstained: false,
    rescaled: false,
    scale: null,
  };
  if (!output || output.length !== n) {
    r.failed = true;
    r.error ||= output ? `output has ${output.length} cues, truth ${n}` : 'no output';
    return r;
  }
  for (let i = 0; i < n; i++) {
    const e = Math.abs(output[i].start - truth[i].start);
    THRESHOLDS.forEach((t, k) => {
      if (e <= t + 1e-6) r.within[k]++;
    });
  }
  r.abstained =
    input.length === n &&
    input.every(
      (c, i) =>
        Math.abs(c.start - output[i].start) <= UNCHANGED &&
        Math.abs(c.end - output[i].end) <= UNCHANGED,
    );
  r.failed = r.within[THRESHOLDS.length - 1] < 0.5 * n;
  r.scale = appliedScale(input, output, truth);
  // A file whose truth has ratio 1 must not be rescaled.
  if (meta.kind !== 'ratio' && Number.isFinite(r.scale))
    r.rescaled = Math.abs(r.scale - 1) > RESCALE;
  return r;
}

/** Per-kind (and all-kinds) totals of scored files: [{kind, files, cues, within:[%], failed, rescaled, abstained, seconds}]. */
export function summarize(results, kinds) {
  const rows = [];
  const add = (kind, rs) => {
    if (!rs.length) return;
    const cues = rs.reduce((a, r) => a + r.n, 0);
    rows.push({
      kind,
      files: rs.length,
      cues,
      within: THRESHOLDS.map(
        (_, k) => (100 * rs.reduce((a, r) => a + r.within[k], 0)) / Math.max(1, cues),
      ),
      failed: rs.filter((r) => r.failed).length,
      rescaled: kind === 'ratio' ? null : rs.filter((r) => r.rescaled).length,
      abstained: rs.filter((r) => r.abstained).length,
      seconds: rs.reduce((a, r) => a + (r.seconds || 0), 0) / rs.length,
    });
  };
  for (const k of kinds)
    add(
      k,
      results.filter((r) => r.kind === k),
    );
  // The other programme's captions have no true position: they score against "left unchanged",
  // so they stay out of the all-kinds cue figures.
  add(
    'all but other programme',
    results.filter((r) => r.kind !== 'other_programme'),
  );
  return rows;
}
