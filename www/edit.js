// The edit as a list of segments of sources ({src, start, end} in seconds of each source), and
// the captions carried through it: what the preview plays, what render joins and what the
// sidecar .vtt holds are all made here, so that the three agree.
import { retimeCaptions } from 'outtake';

/** Where each segment starts in the edit (seconds), and the edit's length as the last entry. */
export function outputStarts(segments) {
  const starts = [0];
  for (const s of segments) starts.push(starts.at(-1) + (s.end - s.start));
  return starts;
}

const ms = (t) => Math.round(t * 1000) / 1000;

/**
 * The captions of source `main` through the edit, in edit time: re-timed by the engine
 * (retimeCaptions, with `main` as the captions' source, so that a cameo's segment takes its time
 * and carries none of them), as render's soft track re-times them. `frameRate` is the grid the
 * results land on. Resolves to the captions object (the input's, with the new cues).
 */
export async function retimeForEdit(captions, segments, main, frameRate) {
  const edits = {
    frameRate,
    segments: segments.map(({ src, start, end }) => ({ source: src, start, end })),
  };
  const { captions: out } = await retimeCaptions(captions, edits, { source: main });
  const cues = out.cues.map((c) => ({ ...c, startTime: ms(c.startTime), endTime: ms(c.endTime) }));
  return { ...captions, cues };
}

/**
 * The edit-time cues that fall in segment `i`, moved to its source's time (clipped to the
 * segment): what the player shows while the preview plays that segment.
 */
export function cuesInSegment(cues, segments, i) {
  const starts = outputStarts(segments);
  const [a, b] = [starts[i], starts[i + 1]];
  const s = segments[i];
  return cues
    .filter((c) => c.endTime > a && c.startTime < b)
    .map((c) => ({
      ...c,
      startTime: s.start + Math.max(a, c.startTime) - a,
      endTime: s.start + Math.min(b, c.endTime) - a,
    }));
}
