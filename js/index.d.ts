// Types of outtake's public API. Every failure is an OuttakeError with a stable `code`.
// Every export has an @example: tests/e2e/docblocks.test.mjs runs each one against the built
// package, checking each `expression; // value` comment, so they cannot drift from the API.

/**
 * The stable code of an OuttakeError: what went wrong, for programs (the README's error table
 * says when each is used; the `message` says where, for people). Some are the CLI's only.
 *
 * @example
 * ```js
 * import { frameAt } from 'outtake';
 * const code = await frameAt(1, 'fast').catch((e) => e.code);
 * code; // "ERR_INVALID_ARGUMENT"
 * ```
 */
export type OuttakeErrorCode =
  | 'ERR_ABORTED'
  | 'ERR_CAPTIONS_FORMAT'
  | 'ERR_CHAIN_FORMAT'
  | 'ERR_CHAIN_VERIFY'
  | 'ERR_CUT_RANGE'
  | 'ERR_DECODE'
  | 'ERR_DIFF'
  | 'ERR_EDL'
  | 'ERR_ENCODE'
  | 'ERR_FETCH'
  | 'ERR_FLATTEN'
  | 'ERR_FRAME_RATE'
  | 'ERR_INTERNAL'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_IO'
  | 'ERR_MEDIA_PLAYBACK'
  | 'ERR_MP4_CORRUPT'
  | 'ERR_MP4_TRUNCATED'
  | 'ERR_MUX'
  | 'ERR_NEEDS_REENCODE'
  | 'ERR_TIMELINE'
  | 'ERR_NO_IDR'
  | 'ERR_NO_VIDEO'
  | 'ERR_OTIO_EXPORT'
  | 'ERR_OTIO_JSON'
  | 'ERR_OTIO_SCHEMA'
  | 'ERR_PROFILE'
  | 'ERR_SRT_NO_CUES'
  | 'ERR_SRT_STRICT'
  | 'ERR_SRT_TIMESTAMP'
  | 'ERR_SYNC_BAD_AUDIO'
  | 'ERR_SYNC_EMPTY_CAPTIONS'
  | 'ERR_SYNC_EMPTY_REFERENCE'
  | 'ERR_SYNC_NO_AUDIO'
  | 'ERR_SYNC_TOO_LONG'
  | 'ERR_TIME_RANGE'
  | 'ERR_UNKNOWN_CONTAINER'
  | 'ERR_UNSUPPORTED_CODEC'
  | 'ERR_WEBM_CORRUPT'
  | 'ERR_WEBM_TRUNCATED'
  | 'ERR_WEBVTT_SIGNATURE'
  | 'ERR_WEBVTT_TIMESTAMP'
  | 'ERR_WORKER';

/**
 * The error every outtake call rejects or throws with: a stable `code` for programs and a
 * message that says what was wrong and where (argument, line:column, byte offset and box path).
 *
 * @example
 * ```js
 * import { parseCaptions, OuttakeError } from 'outtake';
 * try {
 *   await parseCaptions('not captions');
 * } catch (e) {
 *   e instanceof OuttakeError; // true
 *   e.code; // "ERR_CAPTIONS_FORMAT"
 *   e.message; // "1:1: not a caption file: neither a WebVTT signature nor an SRT cue"
 * }
 * ```
 */
export class OuttakeError extends Error {
  /** Made by outtake itself; `code` is one of {@link OuttakeErrorCode}. */
  constructor(code: OuttakeErrorCode, message: string, options?: { cause?: unknown });
  /** Always "OuttakeError", also after crossing from the worker. */
  readonly name: 'OuttakeError';
  /** Stable machine-readable code, e.g. "ERR_INVALID_ARGUMENT", "ERR_CAPTIONS_FORMAT". */
  readonly code: OuttakeErrorCode;
}

/**
 * A frame rate: a number (29.97 means 30000/1001, 23.976 means 24000/1001) or an exact string
 * ("30000/1001", "25").
 *
 * @example
 * ```js
 * import { parseFrameRate } from 'outtake';
 * await parseFrameRate(29.97); // "30000/1001"
 * await parseFrameRate('25'); // "25/1"
 * ```
 */
export type FrameRate = number | string;

/**
 * How a time between two frame boundaries is settled: the frame before ("floor", the frame on
 * screen), after ("ceil"), or the closer one ("nearest", ties go later).
 *
 * @example
 * ```js
 * import { frameAt } from 'outtake';
 * await frameAt(0.3, 10, 'floor'); // 3
 * await frameAt(0.31, 10, 'ceil'); // 4
 * await frameAt(0.36, 10, 'nearest'); // 4
 * ```
 */
export type Rounding = 'floor' | 'ceil' | 'nearest';

/**
 * Where the `.wasm` comes from, when not beside the package's JS: its URL, a fetch of it, its
 * bytes, or a compiled module.
 *
 * @example
 * ```js
 * import { init, version } from 'outtake';
 * await init(new URL('/pkg/wasm/outtake_bg.wasm', location.href)); // wherever it is served
 * typeof (await version()); // "string"
 * ```
 */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the engine. Optional: every call does it on first use; call it early to load the
 * `.wasm` before it is needed, or to load it from elsewhere. Rejects with an OuttakeError when
 * the `.wasm` cannot be fetched or compiled.
 *
 * @example
 * ```js
 * import { init, version } from 'outtake';
 * await init(); // the .wasm beside the package's JS
 * typeof (await version()); // "string"
 * ```
 */
export function init(wasmSource?: WasmSource): Promise<void>;

/**
 * The package version, e.g. "0.1.0".
 *
 * @example
 * ```js
 * import { version } from 'outtake';
 * /^\d+\.\d+\.\d+/.test(await version()); // true
 * ```
 */
export function version(): Promise<string>;

/**
 * A frame rate as an exact "num/den" string. Rejects with ERR_INVALID_ARGUMENT (naming
 * `frameRate`) for what is not a rate.
 *
 * @example
 * ```js
 * import { parseFrameRate } from 'outtake';
 * await parseFrameRate(23.976); // "24000/1001"
 * await parseFrameRate('60000/1001'); // "60000/1001"
 * ```
 */
export function parseFrameRate(frameRate: FrameRate): Promise<string>;

/**
 * The index of the frame at `seconds` on the grid of `frameRate` (frame 0 at 0 s), in exact
 * arithmetic; `rounding` defaults to "floor", the frame on screen at that time.
 *
 * @example
 * ```js
 * import { frameAt } from 'outtake';
 * await frameAt(1.001, '30000/1001'); // 30
 * await frameAt(1, 29.97); // 29
 * await frameAt(1, 29.97, 'nearest'); // 30
 * ```
 */
export function frameAt(
  seconds: number,
  frameRate: FrameRate,
  rounding?: Rounding,
): Promise<number>;

/**
 * `seconds` moved onto the frame grid of `frameRate`; `rounding` defaults to "nearest".
 *
 * @example
 * ```js
 * import { snapTime } from 'outtake';
 * await snapTime(1, '30000/1001'); // 1.001
 * await snapTime(0.51, 25, 'floor'); // 0.48
 * ```
 */
export function snapTime(
  seconds: number,
  frameRate: FrameRate,
  rounding?: Rounding,
): Promise<number>;

/**
 * Many times moved onto a frame grid at once, in the worker (the caller's array is copied, not
 * moved); `rounding` defaults to "nearest". An error names the first bad index.
 * `options.signal` aborts.
 *
 * @example
 * ```js
 * import { snapTimes } from 'outtake';
 * const snapped = await snapTimes([0.26, 0.74], 2, 'floor');
 * snapped instanceof Float64Array; // true
 * Array.from(snapped).join(' '); // "0 0.5"
 * ```
 */
export function snapTimes(
  times: ArrayLike<number> | Float64Array,
  frameRate: FrameRate,
  rounding?: Rounding,
  options?: { signal?: AbortSignal },
): Promise<Float64Array>;

/**
 * Whether the engine's worker is running: heavy calls (snapTimes, probe, cutPoints, trim, render)
 * start it, and it ends itself after 10 s idle.
 *
 * @example
 * ```js
 * import { snapTimes, stopWorker, workerRunning } from 'outtake';
 * await snapTimes([1], 25);
 * workerRunning(); // true
 * stopWorker();
 * workerRunning(); // false
 * ```
 */
export function workerRunning(): boolean;

/**
 * Ends the engine's worker now, freeing all it held; calls still running in it reject with
 * ERR_ABORTED. The next heavy call starts a fresh one.
 *
 * @example
 * ```js
 * import { snapTimes, stopWorker } from 'outtake';
 * const pending = snapTimes(new Float64Array(1e6), 25);
 * stopWorker();
 * await pending.catch((e) => e.code); // "ERR_ABORTED"
 * ```
 */
export function stopWorker(): void;

// ---- Captions -----------------------------------------------------------------------------

/**
 * A region, as the browser's VTTRegion shows it (percentages 0–100).
 *
 * @example
 * ```js
 * import { parseCaptions } from 'outtake';
 * const vtt = 'WEBVTT\n\nREGION\nid:low\nwidth:50%\nlines:2\n\n00:01.000 --> 00:02.000 region:low\nHi\n';
 * const { regions, cues } = await parseCaptions(vtt);
 * regions[0].width; // 50
 * cues[0].region.id; // "low"
 * ```
 */
export interface CaptionRegion {
  id: string;
  width: number;
  lines: number;
  regionAnchorX: number;
  regionAnchorY: number;
  viewportAnchorX: number;
  viewportAnchorY: number;
  scroll: '' | 'up';
}

/**
 * A cue, as the browser's VTTCue shows it: times in seconds, `text` with its WebVTT markup.
 *
 * @example
 * ```js
 * import { parseCaptions } from 'outtake';
 * const { cues } = await parseCaptions('WEBVTT\n\nintro\n00:01.000 --> 00:03.500 align:start\n<v Ana>Hello\n');
 * cues[0].id; // "intro"
 * cues[0].endTime; // 3.5
 * cues[0].text; // "<v Ana>Hello"
 * cues[0].align; // "start"
 * ```
 */
export interface CaptionCue {
  id: string;
  startTime: number;
  endTime: number;
  text: string;
  align: 'start' | 'center' | 'end' | 'left' | 'right';
  line: number | 'auto';
  lineAlign: 'start' | 'center' | 'end';
  position: number | 'auto';
  positionAlign: 'line-left' | 'center' | 'line-right' | 'auto';
  size: number;
  vertical: '' | 'rl' | 'lr';
  snapToLines: boolean;
  region: (CaptionRegion & { index: number }) | null;
}

/**
 * Something a reader skipped or repaired, or a writer could not hold, and where.
 *
 * @example
 * ```js
 * import { serializeCaptions } from 'outtake';
 * const { warnings } = await serializeCaptions('WEBVTT\n\n00:01.000 --> 00:02.000 line:0\nTop\n', 'srt');
 * warnings.length > 0; // true
 * ```
 */
export interface CaptionDiagnostic {
  /** 1-based line of the input (or of the output, for a writer's warning). */
  line: number;
  /** 1-based column. */
  column: number;
  /** Stable kind of the diagnostic (not an error code: nothing failed). */
  code: string;
  /** What was skipped or repaired, in plain words. */
  message: string;
}

/**
 * A caption document: what parseCaptions returns, or a plain object of your own. Only `cues`
 * (each with startTime and endTime, in seconds) is needed as input.
 *
 * @example
 * ```js
 * import { serializeCaptions } from 'outtake';
 * const captions = { cues: [{ startTime: 1, endTime: 2.5, text: 'Hello' }] };
 * (await serializeCaptions(captions, 'srt')).text; // "1\n00:00:01,000 --> 00:00:02,500\nHello\n\n"
 * ```
 */
export interface Captions {
  format?: 'vtt' | 'srt';
  header?: string;
  cues: Array<Partial<CaptionCue> & Pick<CaptionCue, 'startTime' | 'endTime'>>;
  regions?: CaptionRegion[];
  blocks?: Array<{ kind: 'style' | 'note'; text: string; beforeCue: number }>;
  diagnostics?: CaptionDiagnostic[];
}

/**
 * What parseCaptions returns: every field filled in.
 *
 * @example
 * ```js
 * import { parseCaptions } from 'outtake';
 * const parsed = await parseCaptions('WEBVTT\n\nNOTE hello\n\n00:01.000 --> 00:02.000\nHi\n');
 * parsed.format; // "vtt"
 * parsed.blocks[0].kind; // "note"
 * parsed.cues.length; // 1
 * ```
 */
export interface ParsedCaptions extends Captions {
  format: 'vtt' | 'srt';
  header: string;
  cues: CaptionCue[];
  regions: CaptionRegion[];
  blocks: Array<{ kind: 'style' | 'note'; text: string; beforeCue: number }>;
  diagnostics: CaptionDiagnostic[];
}

/**
 * A caption file format: WebVTT or SubRip.
 *
 * @example
 * ```js
 * import { parseCaptions } from 'outtake';
 * (await parseCaptions('1\n00:00:01,000 --> 00:00:02,000\nHi\n')).format; // "srt"
 * ```
 */
export type CaptionFormat = 'vtt' | 'srt';

/**
 * Parses WebVTT (exactly as browsers do) or SRT (leniently: each repair is a diagnostic with
 * line:column). `options.format` is "auto" by default (the text says which); `options.strict`
 * refuses SRT that needs repairs (ERR_SRT_STRICT). Cues come in TextTrack order, shaped like the
 * browser's VTTCue, times in seconds.
 *
 * @example
 * ```js
 * import { parseCaptions } from 'outtake';
 * const srt = '1\n00:00:04,500 --> 00:00:06,000\n<i>Hello</i> there\n';
 * const captions = await parseCaptions(srt);
 * captions.cues[0].startTime; // 4.5
 * captions.cues[0].text; // "<i>Hello</i> there"
 * captions.diagnostics.length; // 0
 * ```
 */
export function parseCaptions(
  text: string,
  options?: { format?: CaptionFormat | 'auto'; strict?: boolean },
): Promise<ParsedCaptions>;

/**
 * Writes captions (text, or the object from parseCaptions) as "vtt" (the default) or "srt";
 * `warnings` says what the format cannot hold (SRT has no positions, regions, styles or voices).
 *
 * @example
 * ```js
 * import { serializeCaptions } from 'outtake';
 * const { text, warnings } = await serializeCaptions('1\n00:00:01,000 --> 00:00:02,000\nHi\n', 'vtt');
 * text; // "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n"
 * warnings.length; // 0
 * ```
 */
export function serializeCaptions(
  captions: Captions | string,
  format?: CaptionFormat,
): Promise<{ text: string; warnings: CaptionDiagnostic[] }>;

/**
 * A timing profile: a built-in name, or a custom profile object with the fields the built-ins
 * have (captionProfiles lists them: `minDuration` and `maxDuration` in seconds, as a number or a
 * fraction string like "5/6", `maxLineChars`, `maxCharsPerSecond`, gaps in frames…). A rule whose
 * field is absent is off; a bad field is ERR_PROFILE, named by its JSON path.
 *
 * @example
 * ```js
 * import { lintCaptions } from 'outtake';
 * const houseStyle = { name: 'house style', minDuration: 1, maxLineChars: 32 };
 * const cues = [{ startTime: 0, endTime: 0.5, text: 'Hi' }];
 * (await lintCaptions({ cues }, houseStyle, { frameRate: 25 })).map((v) => v.rule).join(); // "min-duration"
 * (await lintCaptions({ cues }, 'netflix-en-adult', { frameRate: 25 })).length > 0; // true
 * ```
 */
export type CaptionProfile =
  | 'netflix-en-adult'
  | 'netflix-en-children'
  | 'bbc'
  | 'dcmp'
  | Record<string, unknown>;

/**
 * The built-in caption timing profiles, each with its rules (durations, gaps, line length,
 * reading speed): a starting point for a custom profile.
 *
 * @example
 * ```js
 * import { captionProfiles } from 'outtake';
 * (await captionProfiles()).map((p) => p.name).includes('netflix-en-adult'); // true
 * ```
 */
export function captionProfiles(): Promise<
  Array<{ name: string; profile: Record<string, unknown> }>
>;

/**
 * What lintCaptions and fixCaptions need beside the captions: the video's frame rate, and
 * optionally where the picture cuts and when someone speaks.
 *
 * @example
 * ```js
 * import { lintCaptions } from 'outtake';
 * const cues = [{ startTime: 0.9, endTime: 3, text: 'Across a cut' }];
 * const options = { frameRate: 25, shotChanges: [1] };
 * (await lintCaptions({ cues }, 'netflix-en-adult', options)).map((v) => v.rule).includes('shot-change'); // true
 * ```
 */
export interface LintOptions {
  /** The video's frame rate; gaps and shot-change windows are counted in its frames. */
  frameRate: FrameRate;
  /** Times (seconds) where the picture cuts. */
  shotChanges?: number[];
  /** When someone speaks: [start, end] in seconds. */
  speech?: Array<[number, number]>;
}

/**
 * One broken timing rule: which, on which cue, and whether fixCaptions can repair it.
 *
 * @example
 * ```js
 * import { lintCaptions } from 'outtake';
 * const [v] = await lintCaptions({ cues: [{ startTime: 0, endTime: 0.2, text: 'Hi' }] }, 'netflix-en-adult', { frameRate: 25 });
 * v.rule; // "min-duration"
 * v.cue; // 0
 * v.fixable; // true
 * ```
 */
export interface CaptionViolation {
  /** Stable rule id: min-duration, max-duration, min-gap, chaining, line-length, line-count, reading-speed, shot-change, overlap, frame-grid. */
  rule: string;
  /** Index of the cue in `cues`. */
  cue: number;
  /** What is wrong, in plain words with the numbers. */
  message: string;
  /** Whether fixCaptions can repair it without changing meaning. */
  fixable: boolean;
}

/**
 * Checks captions (text or object) against a timing profile; resolves to the violations, in cue
 * order (an empty array when all is well).
 *
 * @example
 * ```js
 * import { lintCaptions } from 'outtake';
 * const vtt = 'WEBVTT\n\n00:01.000 --> 00:01.200\nToo quick\n';
 * const problems = await lintCaptions(vtt, 'netflix-en-adult', { frameRate: 25 });
 * problems.map((p) => p.rule).join(); // "min-duration,reading-speed"
 * ```
 */
export function lintCaptions(
  captions: Captions | string,
  profile: CaptionProfile,
  options: LintOptions,
): Promise<CaptionViolation[]>;

/**
 * Repairs what can be repaired without changing meaning (durations, gaps, frame grid, never
 * making an overlap): the fixed captions, each change `applied` (with times before and after),
 * and what `remaining` could not be fixed.
 *
 * @example
 * ```js
 * import { fixCaptions } from 'outtake';
 * const vtt = 'WEBVTT\n\n00:01.000 --> 00:01.200\nToo quick\n';
 * const { captions, applied, remaining } = await fixCaptions(vtt, 'netflix-en-adult', { frameRate: 25 });
 * applied[0].rule; // "min-duration"
 * captions.cues[0].endTime > 1.2; // true
 * remaining.length; // 0
 * ```
 */
export function fixCaptions(
  captions: Captions | string,
  profile: CaptionProfile,
  options: LintOptions,
): Promise<{
  captions: ParsedCaptions;
  applied: Array<{
    rule: string;
    cue: number;
    message: string;
    before: { startTime: number; endTime: number };
    after: { startTime: number; endTime: number };
  }>;
  remaining: CaptionViolation[];
}>;

/**
 * An edit list: segments of source time (seconds) in output order, each at a speed (default 1);
 * what retimeCaptions takes and flattenTimeline gives.
 *
 * @example
 * ```js
 * import { retimeCaptions } from 'outtake';
 * const edits = { segments: [{ start: 10, end: 20 }, { start: 0, end: 4, speed: 2 }], frameRate: 25 };
 * const cues = [{ startTime: 2, endTime: 3, text: 'from the start, at double speed' }];
 * (await retimeCaptions({ cues }, edits)).captions.cues[0].startTime; // 11
 * ```
 */
export interface EditList {
  segments: Array<{ start: number; end: number; speed?: number; source?: string }>;
  /** The output frame grid, when results should land on frames. */
  frameRate?: FrameRate;
}

/**
 * Maps captions through an edit list to output time: cues in cut material are `dropped`, cues
 * cut through are `clipped`, cues that play in two segments are `split` (as [input, output]
 * index pairs); times land on `frameRate`'s grid when the list has one.
 *
 * @example
 * ```js
 * import { retimeCaptions } from 'outtake';
 * const vtt = 'WEBVTT\n\n00:01.000 --> 00:02.000\nCut\n\n00:05.000 --> 00:06.000\nKept\n';
 * const { captions, dropped } = await retimeCaptions(vtt, { segments: [{ start: 4, end: 10 }] });
 * dropped.join(); // "0"
 * captions.cues[0].text; // "Kept"
 * captions.cues[0].startTime; // 1
 * ```
 */
export function retimeCaptions(
  captions: Captions | string,
  edits: EditList,
  options?: {
    /** The media the captions belong to: segments of another `source` (a cameo) carry none. */
    source?: string;
  },
): Promise<{
  captions: ParsedCaptions;
  dropped: number[];
  split: Array<[number, number]>;
  clipped: number[];
}>;

// ---- Sync to speech -------------------------------------------------------------------------

/**
 * Audio as PCM samples: mono, or interleaved when `channels` is more than 1. A copy goes to the
 * worker; only a 10 ms speech track is kept from it, never the samples.
 *
 * @example
 * ```js
 * import { speechActivity } from 'outtake';
 * const audio = { pcm: new Float32Array(2 * 48000), sampleRate: 48000, channels: 2 };
 * (await speechActivity(audio)).probability.length; // 100
 * ```
 */
export interface Pcm {
  pcm: Float32Array;
  sampleRate: number;
  channels?: number;
}

/**
 * What syncCaptions did: whether it abstained (and why), its confidence in [0, 1], the frame-rate
 * ratio applied, the stretches that moved by one offset (seconds), the splits between them, how
 * many cues were snapped to speech and how many were left out as non-dialogue (♪, [door slams]),
 * and the time each stage took (ms).
 *
 * @example
 * ```js
 * import { syncCaptions } from 'outtake';
 * const vtt = 'WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n';
 * const { report } = await syncCaptions(vtt, { pcm: new Float32Array(16000 * 5), sampleRate: 16000 });
 * report.abstained; // true
 * report.ratio; // 1
 * ```
 */
export interface SyncReport {
  abstained: boolean;
  reason: string | null;
  confidence: number;
  ratio: number;
  segments: Array<{ start: number; end: number; offset: number }>;
  /** Input caption times (seconds) where a stretch with a new offset begins. */
  splits: number[];
  alreadyInSync: boolean;
  cuesSnapped: number;
  cuesSkippedNonDialogue: number;
  timings: Record<string, number>;
}

/**
 * Re-times captions to the speech in `media`, or to `options.reference` (captions of the same
 * programme already in sync): a global offset of any size, a frame-rate ratio between two of
 * 23.976, 24, 25, 29.97 and 30, splits where material was inserted or removed, and each cue
 * snapped to its speech. Non-dialogue cues move with their neighbours. Below `minConfidence`
 * (default 0.5) it abstains: the captions come back as they were, and `report.reason` says why.
 * `media` is a Blob or File (MP4, WebM or Matroska: its first audio track is read in slices and
 * decoded with WebCodecs as it goes, so neither the file nor its PCM is held whole) or PCM you
 * decoded. Runs in the worker; `onProgress` gets 0..1 as decoding advances, `signal` aborts.
 * Errors: `ERR_SYNC_NO_AUDIO` (no audio track), `ERR_UNSUPPORTED_CODEC` (audio this browser cannot
 * decode, e.g. E-AC-3), `ERR_DECODE` or the container's codes for a damaged file.
 *
 * @example
 * ```js
 * import { syncCaptions } from 'outtake';
 * const cue = (a, b, text) => `${a} --> ${b}\n${text}\n\n`;
 * const reference = `WEBVTT\n\n${cue('00:01.000', '00:02.500', 'Where were you?')}${cue('00:04.000', '00:05.000', 'At the station.')}${cue('00:07.200', '00:09.000', 'You never called.')}${cue('00:11.000', '00:12.000', '[door slams]')}${cue('00:13.000', '00:15.500', 'The phone was dead.')}`;
 * // The same cues 3.5 s late:
 * const late = `WEBVTT\n\n${cue('00:04.500', '00:06.000', 'Where were you?')}${cue('00:07.500', '00:08.500', 'At the station.')}${cue('00:10.700', '00:12.500', 'You never called.')}${cue('00:14.500', '00:15.500', '[door slams]')}${cue('00:16.500', '00:19.000', 'The phone was dead.')}`;
 * const { captions, report } = await syncCaptions(late, null, { reference });
 * report.abstained; // false
 * report.cuesSkippedNonDialogue; // 1
 * captions.cues[0].startTime; // 1
 * // To the speech of a video file instead, with a progress bar:
 * // await syncCaptions(late, file, { onProgress: (f) => (bar.value = f) });
 * ```
 */
export function syncCaptions(
  captions: Captions | string,
  media: Blob | Pcm | null,
  options?: {
    reference?: Captions | string;
    profile?: CaptionProfile;
    frameRate?: number;
    snap?: boolean;
    ratios?: boolean;
    minConfidence?: number;
    onProgress?: (fraction: number) => void;
    signal?: AbortSignal;
  },
): Promise<{ captions: ParsedCaptions; report: SyncReport }>;

/**
 * The speech probability of every 10 ms of `media` (`step` is 0.01 s), and the stretches where
 * it is at least 0.5 as [start, end] seconds: what the caption rules' `speech` option takes.
 * `media` is a Blob or File (MP4, WebM or Matroska, decoded as it is read) or PCM. Runs in the
 * worker; `onProgress` gets 0..1, `signal` aborts.
 *
 * @example
 * ```js
 * import { speechActivity } from 'outtake';
 * const { step, probability, segments } = await speechActivity({ pcm: new Float32Array(16000), sampleRate: 16000 });
 * step; // 0.01
 * probability.length; // 100
 * segments.length; // 0
 * ```
 */
export function speechActivity(
  media: Blob | Pcm,
  options?: { onProgress?: (fraction: number) => void; signal?: AbortSignal },
): Promise<{ step: number; probability: Float32Array; segments: Array<[number, number]> }>;

// ---- Remix ----------------------------------------------------------------------------------

/**
 * A timeline: the OpenTimelineIO JSON document itself (`OTIO_SCHEMA: "Timeline.1"`, `tracks`
 * holding a Stack of Tracks of Clips, Gaps and Transitions), as `JSON.parse` gives it. NaN and
 * Infinity, which JSON cannot hold, are null.
 *
 * @example
 * ```js
 * import { importEdl } from 'outtake';
 * const t = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * t.OTIO_SCHEMA; // "Timeline.1"
 * t.tracks.children[0].children[0].name; // "a.mov"
 * ```
 */
export interface OtioTimeline {
  OTIO_SCHEMA: string;
  name: string | null;
  tracks: OtioObject & { children: OtioObject[] };
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Any OTIO object: `OTIO_SCHEMA` names its kind ("Clip.2", "Gap.1", "Transition.1", "Track.1"…).
 *
 * @example
 * ```js
 * import { importEdl } from 'outtake';
 * const t = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * const [track] = t.tracks.children;
 * track.OTIO_SCHEMA; // "Track.1"
 * track.children[0].OTIO_SCHEMA.startsWith('Clip.'); // true
 * ```
 */
export interface OtioObject {
  OTIO_SCHEMA: string;
  [key: string]: unknown;
}

/**
 * A timeline as an object from importOtio/importEdl, or OTIO JSON text (kept exactly, numbers
 * as written).
 *
 * @example
 * ```js
 * import { exportOtio, importEdl, flattenTimeline } from 'outtake';
 * const t = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * const text = await exportOtio(t);
 * const fromObject = await flattenTimeline(t);
 * const fromText = await flattenTimeline(text);
 * fromText.segments[0].end === fromObject.segments[0].end; // true
 * ```
 */
export type TimelineInput = OtioTimeline | string;

/**
 * What makes two clips "the same clip" across versions.
 *
 * @example
 * ```js
 * import { diffTimelines, importEdl } from 'outtake';
 * const clip = async (name) => {
 *   const t = await importEdl(`001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: ${name}\n`);
 *   t.tracks.children[0].children[0].metadata.outtake = { uid: 'c1' }; // the same clip, renamed
 *   return t;
 * };
 * const [a, b] = [await clip('a.mov'), await clip('b.mov')];
 * (await diffTimelines(a, b)).changes.map((c) => c.kind).join(); // "rename"
 * (await diffTimelines(a, b, { identity: 'name' })).changes.map((c) => c.kind).join(); // "remove,insert"
 * ```
 */
export interface DiffOptions {
  /** "uid" (metadata.outtake.uid, else media): default; "media": media and in-point; "name". */
  identity?: 'uid' | 'media' | 'name';
}

/**
 * One change, as `outtake remix diff --json` writes it; `kind`-specific fields vary.
 *
 * @example
 * ```js
 * import { diffTimelines, importEdl } from 'outtake';
 * const before = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * const after = await importEdl('001  A V C 01:00:00:00 01:00:01:12 00:00:00:00 00:00:01:12\n* FROM CLIP NAME: a.mov\n');
 * const [change] = (await diffTimelines(before, after)).changes;
 * change.kind; // "trim_tail"
 * change.target; // "clip"
 * change.summary; // "'a.mov' lost 12 frames at its tail"
 * ```
 */
export interface TimelineChange {
  /** insert, remove, move, trim_head, trim_tail, slip, slide, ripple, speed, swap_media, enable, disable, rename, retime, text, … */
  kind: string;
  /** clip, gap, transition, track, caption, marker, effect, item. */
  target: string;
  /** JSON path of the item (in the new timeline for inserts and moves, else the old). */
  path: string;
  /** The item's name ("" when it has none). */
  name: string;
  /** The item's identity in the old timeline's terms ("+…" for new items). */
  id: string;
  /** One readable line: "'Tango' lost 12 frames at its tail". */
  summary: string;
  [detail: string]: unknown;
}

/**
 * What diffTimelines and RemixChain.diff resolve to.
 *
 * @example
 * ```js
 * import { diffTimelines, importEdl } from 'outtake';
 * const t = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * (await diffTimelines(t, t)).changes.length; // 0
 * ```
 */
export interface TimelineDiff {
  /** The changes, in the order of the tracks and items they touch. */
  changes: TimelineChange[];
}

/**
 * Where both edits of a three-way merge changed the same thing differently (ours was kept).
 *
 * @example
 * ```js
 * import { importEdl, mergeTimelines } from 'outtake';
 * const cut = (out) => importEdl(`001  A V C 01:00:00:00 ${out} 00:00:00:00 ${out.replace('01:', '00:')}\n* FROM CLIP NAME: a.mov\n`);
 * const { conflicts } = await mergeTimelines(await cut('01:00:02:00'), await cut('01:00:01:12'), await cut('01:00:01:00'));
 * conflicts[0].name; // "a.mov"
 * conflicts[0].ours; // "'a.mov' lost 12 frames at its tail"
 * conflicts[0].theirs; // "'a.mov' lost 24 frames at its tail"
 * ```
 */
export interface MergeConflict {
  /** Index of the track in the base timeline. */
  track: number;
  /** The item's identity in the base timeline. */
  id: string;
  /** The item's name. */
  name: string;
  /** What our edit did to it, as a change summary. */
  ours: string;
  /** What their edit did to it. */
  theirs: string;
}

/**
 * Which node of a chain brought something in, and which last changed it (node ids).
 *
 * @example
 * ```js
 * import { importEdl, RemixChain } from 'outtake';
 * const chain = new RemixChain();
 * const t = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * const root = await chain.add({ author: 'ana', message: 'first cut', timeline: t });
 * const { origin } = (await chain.blame(root)).tracks[0].items[0];
 * origin.introduced === root && origin.changed === root; // true
 * ```
 */
export interface BlameOrigin {
  /** The node that first had the item or word. */
  introduced: string;
  /** The node that last changed it. */
  changed: string;
}

/**
 * Who made each part of a chain's node: every clip (and caption word) with its origin.
 *
 * @example
 * ```js
 * import { importEdl, RemixChain } from 'outtake';
 * const edl = (out) => `001  A V C 01:00:00:00 ${out} 00:00:00:00 ${out.replace('01:', '00:')}\n* FROM CLIP NAME: a.mov\n`;
 * const chain = new RemixChain();
 * const root = await chain.add({ author: 'ana', message: 'first cut', timeline: await importEdl(edl('01:00:02:00')) });
 * const tight = await chain.add({ parents: [root], author: 'bo', message: 'tighter', timeline: await importEdl(edl('01:00:01:12')) });
 * const blame = await chain.blame(tight);
 * blame.node === tight; // true
 * blame.tracks[0].items[0].origin.changed === tight; // true
 * ```
 */
export interface Blame {
  /** The node blamed. */
  node: string;
  tracks: Array<{
    name: string;
    kind: string;
    /** Every item of the track; times are in seconds. */
    items: Array<{
      index: number;
      kind: 'clip' | 'gap' | 'transition' | 'item';
      name: string;
      recordStart: number;
      duration: number;
      origin: BlameOrigin;
    }>;
    /** Caption words (caption tracks only). */
    words: Array<{ text: string; start: number; end: number; cue: number; origin: BlameOrigin }>;
  }>;
}

/**
 * A node of a chain, without its timeline (RemixChain.nodes lists them).
 *
 * @example
 * ```js
 * import { importEdl, RemixChain } from 'outtake';
 * const chain = new RemixChain();
 * const t = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * await chain.add({ author: 'ana', message: 'first cut', timeline: t, createdAt: '2025-01-01T00:00:00Z' });
 * const [node] = chain.nodes;
 * node.author; // "ana"
 * node.parents.length; // 0
 * /^[0-9a-f]+$/.test(node.id); // true
 * ```
 */
export interface ChainNodeInfo {
  /** The node's content hash: the same content is the same id. */
  id: string;
  /** The ids of the nodes it was made from (none for a first cut; two for a merge). */
  parents: string[];
  /** Who made it. */
  author: string;
  /** When (ISO 8601). */
  createdAt: string;
  /** What it does, in the author's words. */
  message: string;
}

/**
 * A node of a chain with its timeline (RemixChain.get).
 *
 * @example
 * ```js
 * import { importEdl, RemixChain } from 'outtake';
 * const chain = new RemixChain();
 * const t = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * const id = await chain.add({ author: 'ana', message: 'first cut', timeline: t });
 * (await chain.get(id)).timeline.tracks.children[0].children[0].name; // "a.mov"
 * ```
 */
export interface ChainNode extends ChainNodeInfo {
  /** The remix itself. */
  timeline: OtioTimeline;
}

/**
 * Reads OTIO JSON text into a timeline object: the OTIO document as `JSON.parse` would give it
 * (NaN and Infinity, which JSON cannot hold, become null). Errors: ERR_OTIO_JSON with
 * line:column, ERR_OTIO_SCHEMA with the JSON path.
 *
 * @example
 * ```js
 * import { importOtio } from 'outtake';
 * const text = JSON.stringify({ OTIO_SCHEMA: 'Timeline.1', name: 'cut', tracks: { OTIO_SCHEMA: 'Stack.1', children: [] } });
 * (await importOtio(text)).name; // "cut"
 * ```
 */
export function importOtio(text: string): Promise<OtioTimeline>;

/**
 * Writes a timeline (object or OTIO text) as OTIO JSON text, as the CLI's `remix convert`
 * does; `options.target` "0.18" (0.16–0.18) rewrites schemas for that older OTIO release.
 *
 * @example
 * ```js
 * import { exportOtio, importEdl } from 'outtake';
 * const t = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * JSON.parse(await exportOtio(t)).OTIO_SCHEMA; // "Timeline.1"
 * ```
 */
export function exportOtio(timeline: TimelineInput, options?: { target?: string }): Promise<string>;

/**
 * Writes a timeline (object or OTIO text) as a CMX 3600 EDL: one event per clip on the video
 * channel `V` and audio channels `A`, `A2`…, gaps as holes in the record timecode, each clip's
 * name and media as `* FROM CLIP NAME:` / `* FROM CLIP:` comments. `options.rate` is the
 * timecode rate (24 by default; 29.97 counts non-drop at 30), `options.title` the `TITLE:` line
 * (the timeline's name by default). Tracks with no clip (a caption track) are left out. What
 * CMX 3600 cannot hold fails with ERR_OTIO_EXPORT naming the item: a second video track, a
 * nested track, a range off the frame grid; transitions and speed changes (not written yet).
 *
 * @example
 * ```js
 * import { exportEdl, importEdl } from 'outtake';
 * const t = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n', { rate: 25 });
 * const edl = await exportEdl(t, { rate: 25, title: 'cut 1' });
 * edl.split('\n')[0]; // "TITLE: cut 1"
 * edl.includes('001  A        V     C        01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00'); // true
 * ```
 */
export function exportEdl(
  timeline: TimelineInput,
  options?: { rate?: FrameRate; title?: string },
): Promise<string>;

/**
 * Reads a CMX 3600 EDL into a timeline object. EDLs do not say their frame rate: `options.rate`
 * does (24 by default); `options.ignoreTimecodeMismatch` accepts events whose source and record
 * durations differ. Errors: ERR_EDL with the line.
 *
 * @example
 * ```js
 * import { importEdl } from 'outtake';
 * const edl = 'TITLE: demo\n001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n';
 * const t = await importEdl(edl, { rate: 25 });
 * t.name; // "demo"
 * t.tracks.children[0].children[0].source_range.duration.value; // 50
 * ```
 */
export function importEdl(
  text: string,
  options?: { rate?: FrameRate; ignoreTimecodeMismatch?: boolean },
): Promise<OtioTimeline>;

/**
 * The changes from timeline `a` to `b`, named as editors name them (trims, moves, slips,
 * inserts, caption word edits…), as `outtake remix diff --json` gives them.
 *
 * @example
 * ```js
 * import { diffTimelines, importEdl } from 'outtake';
 * const a = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * const b = await importEdl('001  A V C 01:00:00:12 01:00:02:00 00:00:00:00 00:00:01:12\n* FROM CLIP NAME: a.mov\n');
 * const { changes } = await diffTimelines(a, b);
 * changes.map((c) => c.kind).join(); // "trim_head"
 * ```
 */
export function diffTimelines(
  a: TimelineInput,
  b: TimelineInput,
  options?: DiffOptions,
): Promise<TimelineDiff>;

/**
 * Three-way merge of two edits of `base`: both sides' changes where they do not clash; where
 * they do, ours is kept and a conflict listed.
 *
 * @example
 * ```js
 * import { importEdl, mergeTimelines, flattenTimeline } from 'outtake';
 * const edl = (out) => `001  A V C 01:00:00:00 ${out} 00:00:00:00 ${out.replace('01:', '00:')}\n* FROM CLIP NAME: a.mov\n`;
 * const base = await importEdl(edl('01:00:02:00'));
 * const ours = await importEdl(edl('01:00:01:12'));
 * const { timeline, conflicts } = await mergeTimelines(base, ours, base);
 * conflicts.length; // 0
 * const [segment] = (await flattenTimeline(timeline)).segments;
 * segment.end - segment.start; // 1.5
 * ```
 */
export function mergeTimelines(
  base: TimelineInput,
  ours: TimelineInput,
  theirs: TimelineInput,
  options?: DiffOptions,
): Promise<{ timeline: OtioTimeline; conflicts: MergeConflict[] }>;

/**
 * The edit list that plays a timeline's first enabled video track, in seconds of source time:
 * what retimeCaptions takes, to carry captions through the edit.
 *
 * @example
 * ```js
 * import { flattenTimeline, importEdl } from 'outtake';
 * const t = await importEdl('001  A V C 01:00:10:00 01:00:12:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * const { segments } = await flattenTimeline(t);
 * segments[0].end - segments[0].start; // 2
 * segments[0].speed; // 1
 * ```
 */
export function flattenTimeline(
  timeline: TimelineInput,
): Promise<
  EditList & { segments: Array<{ start: number; end: number; speed: number; source?: string }> }
>;

/**
 * Which node of a chain (a RemixChain, or its JSON text or object) introduced and which last
 * changed each clip and caption word of node `nodeId`.
 *
 * @example
 * ```js
 * import { blame, importEdl, RemixChain } from 'outtake';
 * const chain = new RemixChain();
 * const t = await importEdl('001  A V C 01:00:00:00 01:00:02:00 00:00:00:00 00:00:02:00\n* FROM CLIP NAME: a.mov\n');
 * const root = await chain.add({ author: 'ana', message: 'first cut', timeline: t });
 * const saved = chain.toJSON(); // what a chain file holds
 * (await blame(saved, root)).tracks[0].items[0].origin.introduced === root; // true
 * ```
 */
export function blame(
  chain: RemixChain | string | object,
  nodeId: string,
  options?: DiffOptions,
): Promise<Blame>;

/**
 * A content-addressed chain of remixes, kept as the chain file's JSON text: every method is a
 * stateless engine call, so nothing needs freeing.
 *
 * @example
 * ```js
 * import { importEdl, RemixChain } from 'outtake';
 * const edl = (out) => `001  A V C 01:00:00:00 ${out} 00:00:00:00 ${out.replace('01:', '00:')}\n* FROM CLIP NAME: a.mov\n`;
 * const chain = new RemixChain();
 * const root = await chain.add({ author: 'ana', message: 'first cut', timeline: await importEdl(edl('01:00:02:00')) });
 * const next = await chain.add({ parents: [root], author: 'bo', message: 'tighter', timeline: await importEdl(edl('01:00:01:12')) });
 * (await chain.diff(root, next)).changes[0].kind; // "trim_tail"
 * await chain.verify(); // true
 * const saved = chain.toJSON();
 * (await RemixChain.fromJSON(saved)).nodes.length; // 2
 * ```
 */
export class RemixChain {
  /** An empty chain; add nodes with `add`, or read a saved one with `RemixChain.fromJSON`. */
  constructor();
  /** Reads a chain (its JSON text, exact, or object) and checks every node's hash. */
  static fromJSON(chain: string | object): Promise<RemixChain>;
  /** The nodes, parents first. */
  readonly nodes: ChainNodeInfo[];
  /** Adds a remix; resolves to its id. `createdAt` defaults to now (ISO 8601). */
  add(node: {
    parents?: string[];
    author?: string;
    message?: string;
    timeline: TimelineInput;
    createdAt?: string;
  }): Promise<string>;
  /** Node `id` with its timeline; ERR_INVALID_ARGUMENT when the chain has no such node. */
  get(id: string): Promise<ChainNode>;
  /** Resolves to true, or rejects with ERR_CHAIN_VERIFY naming the node. */
  verify(): Promise<true>;
  /** The changes from node `a` to node `b` (as diffTimelines). */
  diff(a: string, b: string, options?: DiffOptions): Promise<TimelineDiff>;
  /** Which node introduced and which last changed each clip and caption word of node `id`. */
  blame(id: string, options?: DiffOptions): Promise<Blame>;
  /** The chain file's text (what `outtake remix blame` reads). */
  toJSON(): string;
}
// ---- Media

/**
 * One track of a media file, as probe reads it.
 *
 * @example
 * ```js
 * import { probe } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const video = (await probe(file)).tracks.find((t) => t.kind === 'video');
 * video.codec.startsWith('avc1.'); // true
 * video.decodable; // true
 * `${video.width}x${video.height}`; // "320x240"
 * ```
 */
export interface MediaTrack {
  /** The container's track id. */
  id: number;
  /** What the track holds. */
  kind: 'video' | 'audio' | 'other';
  /** WebCodecs codec string, e.g. "avc1.64001f", "vp09.00.10.08", "mp4a.40.2", "opus". */
  codec: string;
  /** Whether WebCodecs can decode it (false for HEVC, E-AC-3, AC-3). */
  decodable: boolean;
  /** Ticks per second of the track's timestamps. */
  timescale: number;
  /** Coded width in pixels (video; 0 otherwise). */
  width: number;
  /** Coded height in pixels (video; 0 otherwise). */
  height: number;
  /** Clockwise display rotation in degrees. */
  rotation: 0 | 90 | 180 | 270;
  /** Pixel aspect ratio [h, v]; [1, 1] for square pixels. */
  pixelAspect: [number, number];
  /** Samples per second (audio; 0 otherwise). */
  sampleRate: number;
  /** Audio channels (0 for video). */
  channels: number;
  /** Encoder delay, in timescale ticks. */
  priming: number;
  /** Whether H.264/H.265 is stored as an Annex B byte stream rather than length-prefixed. */
  annexB: boolean;
  /** Frames (video) or packets (audio) presented from 0 on. */
  frames: number;
  /** Presentation times (seconds) where decoding can start (IDRs): copy-only in-points. */
  keyframes: number[];
  /** Seconds, from the first presented frame. */
  duration: number;
  /** The video's frame rate read from its timestamps; null for audio and other tracks. */
  frameRate: TrackFrameRate | null;
}

/**
 * A video track's frame rate, as probe reads it from the timestamps (MP4 states none).
 *
 * @example
 * ```js
 * import { probe, frameAt } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const video = (await probe(file)).tracks.find((t) => t.kind === 'video');
 * video.frameRate.nominal; // "30"
 * video.frameRate.variable; // false
 * await frameAt(1.5, video.frameRate.nominal); // 45
 * ```
 */
export interface TrackFrameRate {
  /**
   * The usual frame duration's rate, exact, as frameAt, snapTime and lintCaptions take it:
   * "30000/1001" (29.97), "25", or the simplest fraction that fits ("117/4").
   */
  nominal: string;
  /** `nominal` as a number: 29.97002997… for "30000/1001". */
  nominalFps: number;
  /** Frames per second over the whole track: presented frames over the time they cover. */
  average: number;
  /**
   * Some frame lasts longer or shorter than `nominal` says by more than the timestamps'
   * rounding: dropped frames, phone or screen recordings. Frame numbers are then approximate.
   */
  variable: boolean;
}

/**
 * What probe resolves to: the container, its duration and its tracks.
 *
 * @example
 * ```js
 * import { probe } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const info = await probe(file);
 * info.container; // "mp4"
 * info.duration; // 3
 * info.tracks.map((t) => t.kind).join(); // "video,audio"
 * ```
 */
export interface MediaInfo {
  /** The container format. */
  container: 'mp4' | 'webm' | 'matroska';
  /** Seconds, from the first presented frame to the end of the longest track. */
  duration: number;
  /** Every track, in the container's order. */
  tracks: MediaTrack[];
}

/**
 * Where a cut lands in one track, and what a trim will do there.
 *
 * @example
 * ```js
 * import { cutPoints } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const { tracks } = await cutPoints(file, { start: 1.5, end: 2.5 });
 * const video = tracks.find((t) => t.kind === 'video');
 * video.framesTotal; // 30
 * video.framesReencoded; // 15
 * video.framesCopied; // 15
 * ```
 */
export interface TrackCut {
  /** The container's id of the track. */
  trackId: number;
  /** What the track holds. */
  kind: 'video' | 'audio' | 'other';
  /** Presentation indices (among the source's shown frames) of the first and last output frame. */
  firstFrameIndex: number;
  lastFrameIndex: number;
  /** Frames (or audio packets) in the output. */
  framesTotal: number;
  /** Of those, how many are decoded and encoded again (the head before the first keyframe). */
  framesReencoded: number;
  /** And how many are copied packet for packet. */
  framesCopied: number;
  /** Where the cut really lands, in source seconds. */
  cutStart: number;
  /** Where the cut really ends, in source seconds. */
  cutEnd: number;
  /** The first packet (decode order) the decoder is fed, when frames are re-encoded. */
  decodeFrom: number | null;
}

/**
 * What cutPoints resolves to: where a cut lands and what a trim will re-encode.
 *
 * @example
 * ```js
 * import { cutPoints } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const keyframeCut = await cutPoints(file, { start: 1, end: 2 });
 * keyframeCut.needsReencode; // false
 * const midGop = await cutPoints(file, { start: 1.5, end: 2.5 });
 * midGop.needsReencode; // true
 * midGop.keyframeTimes.join(); // "0,1,2"
 * ```
 */
export interface CutSummary {
  /** The in-point asked for, seconds. */
  start: number;
  /** The out-point, seconds (the end of the media when none was given). */
  end: number;
  /** Whether any frame must be re-encoded (false: a copy-only cut). */
  needsReencode: boolean;
  /** Presentation times (seconds) of the video's keyframes: in-points that copy. */
  keyframeTimes: number[];
  /** Each output track's cut. */
  tracks: TrackCut[];
}

/**
 * Where to cut, and how: the options of cutPoints and trim.
 *
 * @example
 * ```js
 * import { trim } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const controller = new AbortController();
 * const options = { start: 1, end: 2, format: 'matroska', signal: controller.signal };
 * (await trim(file, options)).type; // "video/x-matroska"
 * ```
 */
export interface CutOptions {
  /** In-point, seconds from the first presented frame (inclusive). */
  start: number;
  /** Out-point, seconds (exclusive); the end of the media when left out. */
  end?: number;
  /** Aborts the call: it rejects with the signal's reason, and the worker is ended. */
  signal?: AbortSignal;
  /**
   * An audio track this browser cannot decode (E-AC-3, AC-3) would not play in the output here:
   * by default the call fails with `ERR_UNSUPPORTED_CODEC` naming it; `'drop'` leaves such
   * tracks out, `'copy'` keeps them packet for packet.
   */
  undecodableAudio?: 'error' | 'drop' | 'copy';
  /**
   * The output container: the input's unless given. WebM takes VP8, VP9, AV1 and Opus only; MP4
   * has no place for VP9 alpha, Matroska none for rotation: such a request fails at once with
   * `ERR_UNSUPPORTED_CODEC` naming the track. Where the cut lands (`cutPoints`) follows the
   * output's rules: WebM and Matroska cannot hide frames, so a B-frame tail is re-encoded.
   */
  format?: 'mp4' | 'webm' | 'matroska';
}

/**
 * Tracks, codecs, duration, frame counts and keyframe times of an MP4, WebM or Matroska Blob,
 * read in slices in the worker (the file never enters memory whole). `options.signal` aborts.
 * Errors: ERR_UNKNOWN_CONTAINER, ERR_MP4_TRUNCATED / ERR_MP4_CORRUPT (and WebM's), with the
 * byte offset and box path.
 *
 * @example
 * ```js
 * import { probe } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const info = await probe(file);
 * info.tracks[0].frames; // 90
 * info.tracks[0].keyframes.join(); // "0,1,2"
 * ```
 */
export function probe(blob: Blob, options?: { signal?: AbortSignal }): Promise<MediaInfo>;

/**
 * Where the cut [start, end) (seconds) lands: first and last frame, how many frames a trim will
 * re-encode and copy, and the keyframe times, without decoding anything.
 *
 * @example
 * ```js
 * import { cutPoints } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const plan = await cutPoints(file, { start: 1.5, end: 2.5 });
 * plan.tracks[0].firstFrameIndex; // 45
 * plan.tracks[0].framesReencoded; // 15
 * ```
 */
export function cutPoints(blob: Blob, options: CutOptions): Promise<CutSummary>;

/**
 * The frame-exact cut [start, end) as a new Blob of the same container (or the one `format`
 * names), copying what can be copied and re-encoding with WebCodecs only the frames before the
 * first usable keyframe. `onProgress(f)` gets 0..1, only going up; `signal` aborts (the worker
 * is ended, freeing all the trim held). Copied packets are slices of the input Blob, so a large
 * File costs memory only for the re-encoded frames.
 *
 * @example
 * ```js
 * import { trim } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * let progress = 0;
 * const clip = await trim(file, { start: 1.5, end: 2.5, onProgress: (f) => (progress = f) });
 * clip.type; // "video/mp4"
 * progress; // 1
 * // e.g. video.src = URL.createObjectURL(clip);
 * ```
 */
export function trim(
  blob: Blob,
  options: CutOptions & { onProgress?: (fraction: number) => void },
): Promise<Blob>;

/**
 * The times (seconds from the first frame, as `probe` counts) where the picture cuts to a new
 * shot. Every frame is decoded with WebCodecs and its luma averaged down to 64 pixels wide; a cut is a frame that
 * differs from the one before (motion allowed for) far more than its neighbours do. Flashes and
 * fades are no cuts; a keyframe the encoder put off its cadence lowers the bar, never decides.
 * The result is what `lintCaptions` and `fixCaptions` take as `shotChanges`. Runs in the worker:
 * `onProgress(f)` gets 0..1, `signal` aborts (the worker is ended). A file with no video track
 * fails with `ERR_NO_VIDEO`, a codec this browser cannot decode with `ERR_UNSUPPORTED_CODEC`.
 *
 * @example
 * ```js
 * import { shotChanges, lintCaptions } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const cuts = await shotChanges(file, { onProgress: (f) => console.log(f) });
 * cuts.length; // 0
 * const captions = 'WEBVTT\n\n00:00.000 --> 00:01.000\nHello';
 * (await lintCaptions(captions, 'netflix-en-adult', { frameRate: 30, shotChanges: cuts })).length; // 0
 * ```
 */
export function shotChanges(
  input: Blob,
  options?: { onProgress?: (fraction: number) => void; signal?: AbortSignal },
): Promise<number[]>;

/**
 * How many thumbnails, how large, and from which frames: the options of `thumbnails`. Give
 * `count` or `interval`, not both.
 *
 * @example
 * ```js
 * const options = { interval: 1, width: 96, keyframesOnly: true };
 * options.width; // 96
 * ```
 */
export interface ThumbnailOptions {
  /** This many, evenly spaced: the first at 0, one every duration / count seconds. */
  count?: number;
  /** One every this many seconds from 0, while inside the video. */
  interval?: number;
  /** Pixels wide (default 160); the height follows the picture's aspect and rotation. */
  width?: number;
  /** Show the keyframe nearest each time, decoding nothing but those keyframes (fast). */
  keyframesOnly?: boolean;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * A filmstrip for a timeline: the frame on screen at each of `count` evenly spaced times (or
 * every `interval` seconds), `width` pixels wide, as ImageBitmaps moved out of the worker. With
 * `keyframesOnly` each is the nearest keyframe, decoded alone. Errors as `shotChanges`; a bad
 * option is `ERR_INVALID_ARGUMENT` naming it.
 *
 * @example
 * ```js
 * import { thumbnails } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const strip = await thumbnails(file, { count: 3, width: 160 });
 * strip.length; // 3
 * [strip[0].width, strip[0].height]; // [160, 120]
 * // e.g. canvas.getContext('2d').drawImage(strip[0], 0, 0);
 * ```
 */
export function thumbnails(input: Blob, options: ThumbnailOptions): Promise<ImageBitmap[]>;

/**
 * One range of one source in a render's timeline.
 *
 * @example
 * ```js
 * import { render } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const segment = { source: 'clip', start: 2, end: 3 };
 * (await render({ segments: [segment, segment] }, { sources: { clip: file } })).type; // "video/mp4"
 * ```
 */
export interface RenderSegment {
  /** The id of its source: a key of `options.sources`. */
  source: string;
  /** In-point, seconds from the source's first presented frame (inclusive). */
  start: number;
  /** Out-point, seconds (exclusive); the end of the source when left out. */
  end?: number;
  /** Playback speed; only 1 is rendered for now (others fail with ERR_UNSUPPORTED_CODEC). */
  speed?: number;
}

/**
 * What to render: segments in output order. A segment may go back in time, and may repeat.
 *
 * @example
 * ```js
 * import { render } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const timeline = { segments: [{ source: 'a', start: 2, end: 3 }, { source: 'a', start: 0, end: 1 }] };
 * const clip = await render(timeline, { sources: { a: file } });
 * clip.size > 0; // true
 * ```
 */
export interface RenderTimeline {
  /** At least one. */
  segments: RenderSegment[];
}

/**
 * How to render: the sources by id, and trim's options that apply to a whole output.
 *
 * @example
 * ```js
 * import { render } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const options = { sources: { a: file }, format: 'matroska' };
 * (await render({ segments: [{ source: 'a', start: 1, end: 2 }] }, options)).type; // "video/x-matroska"
 * ```
 */
export interface RenderOptions {
  /** Each source id of the timeline, mapped to its Blob (or File). Only the used ones are read. */
  sources: Record<string, Blob>;
  /** Gets 0..1, only going up. */
  onProgress?: (fraction: number) => void;
  /** Aborts the call: it rejects with the signal's reason, and the worker is ended. */
  signal?: AbortSignal;
  /** As in trim: what to do with audio this browser cannot decode. */
  undecodableAudio?: 'error' | 'drop' | 'copy';
  /** The output container: the first segment's source's unless given. */
  format?: 'mp4' | 'webm' | 'matroska';
  /**
   * Captions in the sources' time (WebVTT or SRT text, or what parseCaptions gives), re-timed
   * through the timeline as `retimeCaptions` does and written as a soft WebVTT track: MP4 `wvtt`
   * (ISO/IEC 14496-30), WebM `D_WEBVTT/SUBTITLES`, Matroska `S_TEXT/WEBVTT`. Chromium shows no
   * in-band text track: in a page, show `retimeCaptions(captions, timeline)`'s as a `<track>`.
   */
  captions?: Captions | string;
  /** The caption track's language, a BCP 47 tag ("en", "pt-BR"); "und" unless given. */
  captionsLanguage?: string;
  /** The caption track's name, as players list it. */
  captionsLabel?: string;
  /**
   * The id of the source the captions belong to (the first segment's unless given): segments of
   * other sources, such as a cameo, show none of them.
   */
  captionsSource?: string;
  /**
   * The output's video, where it is not the first segment's source's: a segment whose codec,
   * profile or size differs is re-encoded whole, scaled and letterboxed into it. `width` and
   * `height` are even, 16 to 8192; `bitrate` in bits per second (default: twice the first
   * source's per pixel).
   */
  video?: RenderVideo;
}

/**
 * The output video configuration of a render (`RenderOptions.video`).
 *
 * @example
 * ```js
 * import { render } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const video = { codec: 'h264', width: 640, height: 360 };
 * const clip = await render({ segments: [{ source: 'a', start: 0, end: 1 }] }, { sources: { a: file }, video });
 * clip.type; // "video/mp4"
 * ```
 */
export interface RenderVideo {
  codec?: 'h264' | 'vp8' | 'vp9';
  width?: number;
  height?: number;
  bitrate?: number;
}

/**
 * Joins ranges of one or many sources into one Blob, in one pass, exact at every joint. Each segment shows, as `trim` does, every frame on screen at some
 * instant of `[start, end)`. Packets are copied where they can be: only the frames from an
 * in-point to the next keyframe, and at an out-point the B-frames whose references lie past it,
 * are re-encoded with WebCodecs. Audio packets are copied, each segment's placed within half a
 * packet (10.7 ms at 48 kHz) of its video, so that no offset builds up over many joints. An MP4
 * output has a single-entry edit list at most, as Media Source Extensions require. A segment
 * whose video does not fit the output's (the first segment's source's codec, profile and size,
 * or `options.video`) is re-encoded whole, scaled and letterboxed, keeping its own frame timing.
 * A segment whose source has no sound gets silence. Sources that differ in audio format fail
 * with `ERR_UNSUPPORTED_CODEC` (audio is not transcoded yet); a segment id not in `sources`
 * fails with `ERR_INVALID_ARGUMENT` naming it.
 *
 * @example
 * ```js
 * import { render, retimeCaptions } from 'outtake';
 * const file = await (await fetch('clip.mp4')).blob(); // or a File from <input type="file">
 * const timeline = {
 *   segments: [
 *     { source: 'clip', start: 0.5, end: 1.5 },
 *     { source: 'clip', start: 2.2, end: 2.8 },
 *     { source: 'clip', start: 0.2, end: 0.7 },
 *   ],
 * };
 * let progress = 0;
 * const remix = await render(timeline, { sources: { clip: file }, onProgress: (f) => (progress = f) });
 * remix.type; // "video/mp4"
 * progress; // 1
 * // e.g. video.src = URL.createObjectURL(remix);
 * // Soft captions, re-timed through the same timeline; the sidecar is what a page can show.
 * const vtt = 'WEBVTT\n\n00:00.600 --> 00:01.400\nHello\n';
 * const subtitled = await render(timeline, { sources: { clip: file }, captions: vtt, captionsLanguage: 'en' });
 * subtitled.size > remix.size; // true
 * (await retimeCaptions(vtt, timeline)).captions.cues[0].startTime; // 0.1
 * ```
 */
export function render(timeline: RenderTimeline, options: RenderOptions): Promise<Blob>;
