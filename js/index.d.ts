// Types of outtake's public API. Every failure is an OuttakeError with a stable `code`.

/** The error every outtake call rejects or throws with. */
export class OuttakeError extends Error {
  constructor(code: string, message: string, options?: { cause?: unknown });
  readonly name: 'OuttakeError';
  /** Stable machine-readable code, e.g. "ERR_INVALID_ARGUMENT", "ERR_FRAME_RATE". */
  readonly code: string;
}

/** A frame rate: a number (29.97 means 30000/1001) or an exact string ("30000/1001", "25"). */
export type FrameRate = number | string;

/** How a time between two frame boundaries is settled. */
export type Rounding = 'floor' | 'ceil' | 'nearest';

/** Where the `.wasm` comes from, when not beside the package's JS. */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/** Loads the engine. Optional: every call does it on first use. */
export function init(wasmSource?: WasmSource): Promise<void>;

/** The package version, e.g. "0.1.0". */
export function version(): Promise<string>;

/** A frame rate as an exact "num/den" string: `parseFrameRate(23.976)` is "24000/1001". */
export function parseFrameRate(frameRate: FrameRate): Promise<string>;

/** The index of the frame at `seconds` on the grid of `frameRate`; rounding defaults to "floor". */
export function frameAt(seconds: number, frameRate: FrameRate, rounding?: Rounding): Promise<number>;

/** `seconds` moved onto the frame grid of `frameRate`; rounding defaults to "nearest". */
export function snapTime(seconds: number, frameRate: FrameRate, rounding?: Rounding): Promise<number>;

/** Many times moved onto a frame grid at once, in the worker. */
export function snapTimes(
  times: ArrayLike<number> | Float64Array,
  frameRate: FrameRate,
  rounding?: Rounding,
  options?: { signal?: AbortSignal },
): Promise<Float64Array>;

/** Whether the engine's worker is running (it ends itself when idle). */
export function workerRunning(): boolean;

/** Ends the engine's worker now, rejecting any call still running in it. */
export function stopWorker(): void;

// ---- Captions -----------------------------------------------------------------------------

/** A region, as the browser's VTTRegion shows it (percentages 0–100). */
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

/** A cue, as the browser's VTTCue shows it: times in seconds, `text` with its WebVTT markup. */
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

/** Something a reader skipped or repaired, or a writer could not hold, and where. */
export interface CaptionDiagnostic {
  line: number;
  column: number;
  code: string;
  message: string;
}

/** A caption document. Only `cues` (with startTime and endTime) is needed as input. */
export interface Captions {
  format?: 'vtt' | 'srt';
  header?: string;
  cues: Array<Partial<CaptionCue> & Pick<CaptionCue, 'startTime' | 'endTime'>>;
  regions?: CaptionRegion[];
  blocks?: Array<{ kind: 'style' | 'note'; text: string; beforeCue: number }>;
  diagnostics?: CaptionDiagnostic[];
}

/** What parseCaptions returns: every field filled in. */
export interface ParsedCaptions extends Captions {
  format: 'vtt' | 'srt';
  header: string;
  cues: CaptionCue[];
  regions: CaptionRegion[];
  blocks: Array<{ kind: 'style' | 'note'; text: string; beforeCue: number }>;
  diagnostics: CaptionDiagnostic[];
}

export type CaptionFormat = 'vtt' | 'srt';

export function parseCaptions(text: string, options?: { format?: CaptionFormat | 'auto'; strict?: boolean }): Promise<ParsedCaptions>;

export function serializeCaptions(captions: Captions | string, format?: CaptionFormat): Promise<{ text: string; warnings: CaptionDiagnostic[] }>;

/** A timing profile: a built-in name, or a custom profile object (same fields as the built-ins). */
export type CaptionProfile = 'netflix-en-adult' | 'netflix-en-children' | 'bbc' | 'dcmp' | Record<string, unknown>;

export function captionProfiles(): Promise<Array<{ name: string; profile: Record<string, unknown> }>>;

export interface LintOptions {
  /** The video's frame rate; gaps and shot-change windows are counted in its frames. */
  frameRate: FrameRate;
  /** Times (seconds) where the picture cuts. */
  shotChanges?: number[];
  /** When someone speaks: [start, end] in seconds. */
  speech?: Array<[number, number]>;
}

export interface CaptionViolation {
  /** Stable rule id: min-duration, max-duration, min-gap, chaining, line-length, line-count, reading-speed, shot-change, overlap, frame-grid. */
  rule: string;
  /** Index of the cue in `cues`. */
  cue: number;
  message: string;
  fixable: boolean;
}

export function lintCaptions(captions: Captions | string, profile: CaptionProfile, options: LintOptions): Promise<CaptionViolation[]>;

export function fixCaptions(
  captions: Captions | string,
  profile: CaptionProfile,
  options: LintOptions,
): Promise<{
  captions: ParsedCaptions;
  applied: Array<{ rule: string; cue: number; message: string; before: { startTime: number; endTime: number }; after: { startTime: number; endTime: number } }>;
  remaining: CaptionViolation[];
}>;

/** An edit list: segments of source time (seconds) in output order, each at a speed. */
export interface EditList {
  segments: Array<{ start: number; end: number; speed?: number; source?: string }>;
  /** The output frame grid, when results should land on frames. */
  frameRate?: FrameRate;
}

export function retimeCaptions(
  captions: Captions | string,
  edits: EditList,
): Promise<{ captions: ParsedCaptions; dropped: number[]; split: Array<[number, number]>; clipped: number[] }>;

// ---- Remix ----------------------------------------------------------------------------------

/**
 * A timeline: the OpenTimelineIO JSON document itself (`OTIO_SCHEMA: "Timeline.1"`, `tracks`
 * holding a Stack of Tracks of Clips, Gaps and Transitions), as `JSON.parse` gives it. NaN and
 * Infinity, which JSON cannot hold, are null.
 */
export interface OtioTimeline {
  OTIO_SCHEMA: string;
  name: string | null;
  tracks: OtioObject & { children: OtioObject[] };
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Any OTIO object: `OTIO_SCHEMA` names its kind ("Clip.2", "Gap.1", "Transition.1", "Track.1"…). */
export interface OtioObject {
  OTIO_SCHEMA: string;
  [key: string]: unknown;
}

/** A timeline as an object from importOtio/importEdl, or OTIO JSON text (kept exactly). */
export type TimelineInput = OtioTimeline | string;

/** What makes two clips "the same clip" across versions. */
export interface DiffOptions {
  /** "uid" (metadata.outtake.uid, else media): default; "media": media and in-point; "name". */
  identity?: 'uid' | 'media' | 'name';
}

/** One change, as `outtake remix diff --json` writes it; `kind`-specific fields vary. */
export interface TimelineChange {
  /** insert, remove, move, trim_head, trim_tail, slip, slide, ripple, speed, swap_media, enable, disable, rename, retime, text, … */
  kind: string;
  /** clip, gap, transition, track, caption, marker, effect, item. */
  target: string;
  /** JSON path of the item (in the new timeline for inserts and moves, else the old). */
  path: string;
  name: string;
  /** The item's identity in the old timeline's terms ("+…" for new items). */
  id: string;
  /** One readable line: "'Tango' lost 12 frames at its tail". */
  summary: string;
  [detail: string]: unknown;
}

export interface TimelineDiff {
  changes: TimelineChange[];
}

export interface MergeConflict {
  /** Index of the track in the base timeline. */
  track: number;
  id: string;
  name: string;
  ours: string;
  theirs: string;
}

/** Which node brought something in, and which last changed it. */
export interface BlameOrigin {
  introduced: string;
  changed: string;
}

export interface Blame {
  node: string;
  tracks: Array<{
    name: string;
    kind: string;
    /** Every item of the track; times are in seconds. */
    items: Array<{ index: number; kind: 'clip' | 'gap' | 'transition' | 'item'; name: string; recordStart: number; duration: number; origin: BlameOrigin }>;
    /** Caption words (caption tracks only). */
    words: Array<{ text: string; start: number; end: number; cue: number; origin: BlameOrigin }>;
  }>;
}

/** A node of a chain, without its timeline. */
export interface ChainNodeInfo {
  id: string;
  parents: string[];
  author: string;
  createdAt: string;
  message: string;
}

export interface ChainNode extends ChainNodeInfo {
  timeline: OtioTimeline;
}

export function importOtio(text: string): Promise<OtioTimeline>;

export function exportOtio(timeline: TimelineInput, options?: { target?: string }): Promise<string>;

export function importEdl(text: string, options?: { rate?: FrameRate; ignoreTimecodeMismatch?: boolean }): Promise<OtioTimeline>;

export function diffTimelines(a: TimelineInput, b: TimelineInput, options?: DiffOptions): Promise<TimelineDiff>;

export function mergeTimelines(
  base: TimelineInput,
  ours: TimelineInput,
  theirs: TimelineInput,
  options?: DiffOptions,
): Promise<{ timeline: OtioTimeline; conflicts: MergeConflict[] }>;

/** The edit list that plays a timeline's first enabled video track (what retimeCaptions takes). */
export function flattenTimeline(timeline: TimelineInput): Promise<EditList & { segments: Array<{ start: number; end: number; speed: number; source?: string }> }>;

export function blame(chain: RemixChain | string | object, nodeId: string, options?: DiffOptions): Promise<Blame>;

/**
 * A content-addressed chain of remixes, kept as the chain file's JSON text: every method is a
 * stateless engine call, so nothing needs freeing.
 */
export class RemixChain {
  constructor();
  /** Reads a chain (its JSON text, exact, or object) and checks every node's hash. */
  static fromJSON(chain: string | object): Promise<RemixChain>;
  /** The nodes, parents first. */
  readonly nodes: ChainNodeInfo[];
  /** Adds a remix; resolves to its id. `createdAt` defaults to now (ISO 8601). */
  add(node: { parents?: string[]; author?: string; message?: string; timeline: TimelineInput; createdAt?: string }): Promise<string>;
  get(id: string): Promise<ChainNode>;
  /** Resolves to true, or rejects with ERR_CHAIN_VERIFY naming the node. */
  verify(): Promise<true>;
  diff(a: string, b: string, options?: DiffOptions): Promise<TimelineDiff>;
  blame(id: string, options?: DiffOptions): Promise<Blame>;
  /** The chain file's text (what `outtake remix blame` reads). */
  toJSON(): string;
}
// ---- Media

export interface MediaTrack {
  id: number;
  kind: 'video' | 'audio' | 'other';
  /** WebCodecs codec string, e.g. "avc1.64001f", "vp09.00.10.08", "mp4a.40.2", "opus". */
  codec: string;
  /** Whether WebCodecs can decode it (false for HEVC, E-AC-3, AC-3). */
  decodable: boolean;
  timescale: number;
  width: number;
  height: number;
  /** Clockwise display rotation in degrees. */
  rotation: 0 | 90 | 180 | 270;
  pixelAspect: [number, number];
  sampleRate: number;
  channels: number;
  /** Encoder delay, in timescale ticks. */
  priming: number;
  annexB: boolean;
  /** Frames (video) or packets (audio) presented from 0 on. */
  frames: number;
  /** Presentation times (seconds) where decoding can start (IDRs): copy-only in-points. */
  keyframes: number[];
  duration: number;
}

export interface MediaInfo {
  container: 'mp4' | 'webm' | 'matroska';
  duration: number;
  tracks: MediaTrack[];
}

export interface TrackCut {
  trackId: number;
  kind: 'video' | 'audio' | 'other';
  /** Presentation indices (among the source's shown frames) of the first and last output frame. */
  firstFrameIndex: number;
  lastFrameIndex: number;
  framesTotal: number;
  framesReencoded: number;
  framesCopied: number;
  /** Where the cut really lands, in source seconds. */
  cutStart: number;
  cutEnd: number;
  /** The first packet (decode order) the decoder is fed, when frames are re-encoded. */
  decodeFrom: number | null;
}

export interface CutSummary {
  start: number;
  end: number;
  needsReencode: boolean;
  keyframeTimes: number[];
  tracks: TrackCut[];
}

export interface CutOptions {
  /** In-point, seconds from the first presented frame (inclusive). */
  start: number;
  /** Out-point, seconds (exclusive); the end of the media when left out. */
  end?: number;
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

export function probe(blob: Blob, options?: { signal?: AbortSignal }): Promise<MediaInfo>;

export function cutPoints(blob: Blob, options: CutOptions): Promise<CutSummary>;

export function trim(blob: Blob, options: CutOptions & { onProgress?: (fraction: number) => void }): Promise<Blob>;
