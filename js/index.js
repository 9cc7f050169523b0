// outtake's ESM entry: the public API. Cheap calls run on the page's thread; heavy ones run in a
// module worker that the shell starts and ends itself. The wasm loads on first use.

import { call, init } from './engine.js';
import { workerCall, stopWorker, workerRunning } from './worker-client.js';

import { OuttakeError } from './errors.js';

export { init, OuttakeError, stopWorker, workerRunning };

/** The package version, e.g. "0.1.0". */
export function version() {
  return call('version');
}

/** A frame rate (29.97, "30000/1001", 25) as an exact "num/den" string. */
export function parseFrameRate(frameRate) {
  return call('parseFrameRate', frameRate);
}

/** The index of the frame at `seconds` on the grid of `frameRate` (rounding default "floor"). */
export function frameAt(seconds, frameRate, rounding) {
  return call('frameAt', seconds, frameRate, rounding);
}

/** `seconds` moved onto the frame grid of `frameRate` (rounding default "nearest"). */
export function snapTime(seconds, frameRate, rounding) {
  return call('snapTime', seconds, frameRate, rounding);
}

/**
 * Many times moved onto the frame grid at once, in the worker. `times` is an array or a
 * Float64Array; the result is a Float64Array. `options.signal` aborts.
 */
export async function snapTimes(times, frameRate, rounding, options = {}) {
  if (!(times instanceof Float64Array) && !Array.isArray(times)) {
    throw new OuttakeError(
      'ERR_INVALID_ARGUMENT',
      'times: expected an array of numbers or a Float64Array',
    );
  }
  // Copy into a buffer we own, so it can be moved to the worker without detaching the caller's.
  const copy = Float64Array.from(times);
  return workerCall('snapTimes', [copy, frameRate, rounding], {
    signal: options?.signal,
    transfer: [copy.buffer],
  });
}

// ---- Captions -----------------------------------------------------------------------------

/**
 * Parses WebVTT (exactly as browsers do) or SRT (leniently; each repair is a diagnostic with
 * line:column). Returns {format, header, cues, regions, blocks, diagnostics}, cues shaped like
 * the browser's VTTCue with times in seconds.
 */
export function parseCaptions(text, options) {
  return call('parseCaptions', text, options);
}

/** Writes captions (text or the object from parseCaptions) as "vtt" or "srt": {text, warnings}. */
export function serializeCaptions(captions, format = 'vtt') {
  return call('serializeCaptions', captions, format);
}

/** The built-in caption timing profiles: [{name, profile}]. */
export function captionProfiles() {
  return call('captionProfiles');
}

/** Checks captions against a timing profile: [{rule, cue, message, fixable}]. */
export function lintCaptions(captions, profile, options) {
  return call('lintCaptions', captions, profile, options);
}

/** Repairs what can be repaired without changing meaning: {captions, applied, remaining}. */
export function fixCaptions(captions, profile, options) {
  return call('fixCaptions', captions, profile, options);
}

/**
 * Maps captions through an edit list to output time: {captions, dropped, split, clipped}.
 * `options.source` names the media the captions belong to: segments of another source (a cameo)
 * carry none of them.
 */
export function retimeCaptions(captions, edits, options) {
  return call('retimeCaptions', captions, edits, options);
}

// ---- Sync to speech ------------------------------------------------------------------------

/**
 * Re-times captions to the speech in `media` (a Blob: MP4, WebM or Matroska, its first audio
 * track decoded with WebCodecs as it is read; or {pcm, sampleRate, channels?}), or to
 * `options.reference`: {captions, report}. On abstention the captions come back as they were and
 * `report.abstained` says why. Runs in the worker; `onProgress(f)` gets 0..1, `signal` aborts.
 */
export async function syncCaptions(captions, media, options) {
  const { signal, onProgress, ...rest } = mediaOptions(options);
  return workerCall('syncCaptions', [captions, media, rest], {
    signal,
    onProgress: progressOption(onProgress),
  });
}

/**
 * Speech probability every 10 ms of `media` (a Blob, or {pcm, sampleRate, channels?}): {step,
 * probability, segments}. Runs in the worker; `onProgress(f)` gets 0..1, `signal` aborts.
 */
export async function speechActivity(media, options) {
  const { signal, onProgress, ...rest } = mediaOptions(options);
  return workerCall('speechActivity', [media, rest], {
    signal,
    onProgress: progressOption(onProgress),
  });
}

function progressOption(onProgress) {
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new OuttakeError('ERR_INVALID_ARGUMENT', 'options.onProgress: expected a function');
  }
  return onProgress;
}

// ---- Remix --------------------------------------------------------------------------------

import { RemixChain } from './remix-chain.js';

export { RemixChain };

/**
 * Reads OTIO JSON text into a timeline object: the OTIO document itself, as JSON.parse would
 * give it (NaN/Infinity, which JSON cannot hold, become null). Every function that takes a
 * timeline takes this object or OTIO text; text keeps number spellings (`24.0`) exactly.
 */
export function importOtio(text) {
  return call('importOtio', text);
}

/** Writes a timeline (object or OTIO text) as OTIO JSON text; `options.target` "0.18" for older OTIO. */
export function exportOtio(timeline, options) {
  return call('exportOtio', timeline, options);
}

/** Reads a CMX 3600 EDL into a timeline object; `options.rate` frames per second (default 24). */
export function importEdl(text, options) {
  return call('importEdl', text, options);
}

/** A timeline as a CMX 3600 EDL: `options.rate` (default 24), `options.title`. */
export function exportEdl(timeline, options) {
  return call('exportEdl', timeline, options);
}

/**
 * The changes from timeline `a` to `b`, named as editors name them: {changes: [{kind, target,
 * path, name, id, …, summary}]}, as `outtake remix diff --json`. `options.identity`: "uid",
 * "media" or "name".
 */
export function diffTimelines(a, b, options) {
  return call('diffTimelines', a, b, options);
}

/** Three-way merge of two edits of `base`: {timeline, conflicts}; ours is kept where they clash. */
export function mergeTimelines(base, ours, theirs, options) {
  return call('mergeTimelines', base, ours, theirs, options);
}

/** The edit list that plays a timeline, {segments, frameRate}: what retimeCaptions takes. */
export function flattenTimeline(timeline) {
  return call('flattenTimeline', timeline);
}

/**
 * Which node of a chain (a RemixChain, or its JSON text or object) introduced and which last
 * changed each clip and caption word of node `nodeId`.
 */
export function blame(chain, nodeId, options) {
  if (chain instanceof RemixChain) return chain.blame(nodeId, options);
  return call('blame', chain, nodeId, options);
}

// ---- Media --------------------------------------------------------------------------------

function mediaOptions(options, place = 'options') {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object')
    throw new OuttakeError('ERR_INVALID_ARGUMENT', `${place}: expected an object`);
  return options;
}

/**
 * Tracks, codecs, duration, frame counts, frame rates ({nominal, nominalFps, average, variable})
 * and keyframe times of an MP4, WebM or Matroska Blob, read in slices in the worker (the file never enters memory whole). `options.signal` aborts.
 */
export async function probe(blob, options) {
  const { signal } = mediaOptions(options);
  return workerCall('probe', [blob], { signal });
}

/**
 * Where the cut [start, end) (seconds) lands: first/last frame, how many frames a trim will
 * re-encode and copy, and the keyframe times. `options.signal` aborts.
 */
export async function cutPoints(blob, options) {
  // Every other key goes to the engine, which refuses the ones it does not know.
  const { signal, ...rest } = mediaOptions(options);
  return workerCall('cutPoints', [blob, rest], { signal });
}

/**
 * The frame-exact cut [start, end) as a new Blob of the same container, copying what can be
 * copied and re-encoding only the frames before the first usable keyframe. `onProgress(f)` gets
 * 0..1; `signal` aborts (the worker is ended, freeing everything the trim held). Audio this
 * browser cannot decode (E-AC-3) fails unless `undecodableAudio` is 'drop' or 'copy'. The
 * output is in the input's container unless `format` ('mp4', 'webm', 'matroska') says otherwise.
 */
export async function trim(blob, options) {
  const { signal, onProgress, ...rest } = mediaOptions(options);
  return workerCall('trim', [blob, rest], {
    signal,
    onProgress: progressOption(onProgress),
  });
}

/**
 * Joins ranges of one or many sources into one Blob in one pass: `timeline` is
 * {segments: [{source, start, end}]} (seconds from each source's first frame), `options.sources`
 * maps each id to a Blob. Copies what can be copied and re-encodes only at the joints; a segment
 * whose video does not fit the output's (the first source's, or `options.video` {codec, width,
 * height, bitrate}) is re-encoded whole, scaled and letterboxed.
 * `onProgress(f)` gets 0..1; `signal` aborts (the worker is ended). `options.captions` (caption
 * text or parsed captions) is re-timed through the timeline and written as a soft WebVTT track
 * (`captionsLanguage`, `captionsLabel`, `captionsSource`); Chromium shows no in-band text track,
 * so show them in a page with `retimeCaptions` on the same timeline, as a `<track>`.
 */
export async function render(timeline, options) {
  const { signal, onProgress, ...rest } = mediaOptions(options);
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new OuttakeError('ERR_INVALID_ARGUMENT', 'options.onProgress: expected a function');
  }
  return workerCall('render', [timeline, rest], { signal, onProgress });
}

/**
 * Where the picture cuts to a new shot: seconds from the first frame, as `lintCaptions` takes
 * them (`shotChanges`). Every frame of `input` (a Blob) is decoded with WebCodecs in the worker;
 * `onProgress(f)` gets 0..1, `signal` aborts (the worker is ended).
 */
export async function shotChanges(input, options) {
  const { signal, onProgress, ...rest } = mediaOptions(options);
  const seconds = await workerCall('shotChanges', [input, rest], {
    signal,
    onProgress: progressOption(onProgress),
  });
  return Array.from(seconds);
}

/**
 * A filmstrip of `input` (a Blob): `count` evenly spaced thumbnails or one every `interval`
 * seconds, `width` pixels wide, as ImageBitmaps; `keyframesOnly` decodes only the keyframes
 * nearest those times. `onProgress(f)` gets 0..1, `signal` aborts (the worker is ended).
 */
export async function thumbnails(input, options) {
  const { signal, onProgress, ...rest } = mediaOptions(options);
  return workerCall('thumbnails', [input, rest], {
    signal,
    onProgress: progressOption(onProgress),
  });
}
