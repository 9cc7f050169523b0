// Type-checks against the package's .d.ts (tsc --strict --noEmit, never run): every export used
// as a TypeScript user would, with the types each call resolves to spelled out, and
// `@ts-expect-error` lines proving that wrong calls fail to compile.
import {
  type Blame,
  type BlameOrigin,
  blame,
  type CaptionCue,
  type CaptionDiagnostic,
  type CaptionFormat,
  type CaptionProfile,
  type CaptionRegion,
  type CaptionViolation,
  type Captions,
  type ChainNode,
  type ChainNodeInfo,
  type CutOptions,
  type CutSummary,
  captionProfiles,
  cutPoints,
  type DiffOptions,
  diffTimelines,
  type EditList,
  exportOtio,
  type FrameRate,
  fixCaptions,
  flattenTimeline,
  frameAt,
  importEdl,
  exportEdl,
  importOtio,
  init,
  type LintOptions,
  lintCaptions,
  type MediaInfo,
  type MediaTrack,
  type TrackFrameRate,
  type MergeConflict,
  mergeTimelines,
  type OtioObject,
  type OtioTimeline,
  OuttakeError,
  type OuttakeErrorCode,
  type ParsedCaptions,
  type RenderOptions,
  type RenderSegment,
  type RenderTimeline,
  type RenderVideo,
  type Pcm,
  parseCaptions,
  parseFrameRate,
  probe,
  RemixChain,
  render,
  type Rounding,
  retimeCaptions,
  serializeCaptions,
  shotChanges,
  snapTime,
  snapTimes,
  type SyncReport,
  speechActivity,
  stopWorker,
  syncCaptions,
  type TimelineChange,
  type TimelineDiff,
  type ThumbnailOptions,
  thumbnails,
  type TimelineInput,
  type TrackCut,
  trim,
  version,
  type WasmSource,
  workerRunning,
} from 'outtake';
import type { EditorChange, EditorCue, EditorTimeline, OuttakeEditor } from 'outtake/editor';

const rate: FrameRate = '30000/1001';
const rounding: Rounding = 'nearest';

async function time(): Promise<void> {
  const source: WasmSource = new URL('https://example.com/outtake_bg.wasm');
  await init(source);
  await init();
  const v: string = await version();
  const t: number = await snapTime(1, rate, rounding);
  const f: number = await frameAt(t, 29.97);
  const s: Float64Array = await snapTimes([1, 2], 25, 'floor', {
    signal: new AbortController().signal,
  });
  const s2: Float64Array = await snapTimes(new Float64Array([1]), 25);
  const r: string = await parseFrameRate(23.976);
  const running: boolean = workerRunning();
  stopWorker();
  console.log(v, f, s, s2, r, running);
  // @ts-expect-error rounding must be one of the three names
  await snapTime(1, rate, 'up');
  // @ts-expect-error a frame rate is a number or a string
  await frameAt(1, { num: 30, den: 1 });
}

async function errors(): Promise<void> {
  try {
    await frameAt(1, rate);
  } catch (e) {
    if (e instanceof OuttakeError) {
      const code: OuttakeErrorCode = e.code;
      const name: 'OuttakeError' = e.name;
      const message: string = e.message;
      if (code === 'ERR_ABORTED' || code === 'ERR_INVALID_ARGUMENT') console.log(name, message);
      // @ts-expect-error codes are the known ones, not any string
      if (code === 'ERR_TYPO') console.log(code);
    }
  }
  const made = new OuttakeError('ERR_FETCH', 'clip.vtt: HTTP 404', { cause: new Error('404') });
  // @ts-expect-error an unknown code cannot be made
  new OuttakeError('ERR_NOPE', 'no');
  console.log(made);
}

async function captions(): Promise<void> {
  const parsed: ParsedCaptions = await parseCaptions('WEBVTT\n', { format: 'auto', strict: false });
  const cue: CaptionCue = parsed.cues[0];
  const region: CaptionRegion | null = cue.region;
  const diagnostics: CaptionDiagnostic[] = parsed.diagnostics;
  const format: CaptionFormat = parsed.format;
  const mine: Captions = { cues: [{ startTime: 1, endTime: 2, text: 'hi' }] };
  const out: { text: string; warnings: CaptionDiagnostic[] } = await serializeCaptions(mine, 'srt');
  await serializeCaptions('WEBVTT\n');
  const profiles: Array<{ name: string; profile: Record<string, unknown> }> =
    await captionProfiles();
  const profile: CaptionProfile = profiles[0].profile;
  const options: LintOptions = { frameRate: 25, shotChanges: [1.5], speech: [[0, 2]] };
  const violations: CaptionViolation[] = await lintCaptions(mine, 'netflix-en-adult', options);
  const fixed = await fixCaptions(parsed, profile, options);
  const fixedCaptions: ParsedCaptions = fixed.captions;
  const afterEnd: number = fixed.applied[0].after.endTime;
  const remaining: CaptionViolation[] = fixed.remaining;
  const edits: EditList = {
    segments: [
      { start: 4, end: 10 },
      { start: 0, end: 1, speed: 2 },
    ],
    frameRate: 25,
  };
  const retimed = await retimeCaptions('WEBVTT\n', edits);
  const dropped: number[] = retimed.dropped;
  const split: Array<[number, number]> = retimed.split;
  const clipped: number[] = retimed.clipped;
  console.log(
    region,
    diagnostics,
    format,
    out,
    violations,
    fixedCaptions,
    afterEnd,
    remaining,
    dropped,
    split,
    clipped,
  );
  // @ts-expect-error lint options need a frame rate
  await lintCaptions(mine, 'bbc', {});
  // @ts-expect-error a cue needs its times
  await serializeCaptions({ cues: [{ text: 'no times' }] });
  // @ts-expect-error only vtt and srt are written
  await serializeCaptions(mine, 'ass');
}

async function sync(): Promise<void> {
  const audio: Pcm = { pcm: new Float32Array(16000), sampleRate: 16000 };
  const activity = await speechActivity(audio, { signal: new AbortController().signal });
  const probability: Float32Array = activity.probability;
  const spans: Array<[number, number]> = activity.segments;
  const synced = await syncCaptions('WEBVTT\n', audio, {
    profile: 'bbc',
    frameRate: 25,
    snap: true,
  });
  const report: SyncReport = synced.report;
  const moved: ParsedCaptions = synced.captions;
  const byReference = await syncCaptions('WEBVTT\n', null, { reference: 'WEBVTT\n' });
  const confidence: number = byReference.report.confidence;
  console.log(probability, spans, report.abstained, report.segments[0]?.offset, moved, confidence);
  // @ts-expect-error PCM needs its sample rate
  await speechActivity({ pcm: new Float32Array(1) });
  // @ts-expect-error samples are a Float32Array
  await syncCaptions('WEBVTT\n', { pcm: [0, 0], sampleRate: 16000 });
  // A media file as it is: a Blob or File, with progress.
  const file: Blob = new Blob([]);
  const fromFile = await syncCaptions('WEBVTT\n', file, { onProgress: (f: number) => f });
  const track: Float32Array = (await speechActivity(file, { onProgress: () => {} })).probability;
  console.log(fromFile.report.ratio, track.length);
  // @ts-expect-error a URL is not a media file: fetch it first
  await speechActivity('talk.mp4');
  // @ts-expect-error progress is a function
  await syncCaptions('WEBVTT\n', file, { onProgress: 0.5 });
}

async function remix(): Promise<void> {
  const a: OtioTimeline = await importOtio('{}');
  const b: OtioTimeline = await importEdl('TITLE: x\n', { rate: 25, ignoreTimecodeMismatch: true });
  const track: OtioObject = a.tracks.children[0];
  const text: string = await exportOtio(a, { target: '0.18' });
  const edl: string = await exportEdl(a, { rate: 25, title: 'cut' });
  // @ts-expect-error a title is text
  await exportEdl(a, { title: 3 });
  console.log(edl);
  const input: TimelineInput = text;
  const options: DiffOptions = { identity: 'media' };
  const diff: TimelineDiff = await diffTimelines(a, input, options);
  const change: TimelineChange = diff.changes[0];
  const merged = await mergeTimelines(a, b, text);
  const timeline: OtioTimeline = merged.timeline;
  const conflicts: MergeConflict[] = merged.conflicts;
  const flat = await flattenTimeline(b);
  const speed: number = flat.segments[0].speed;
  const edits: EditList = flat;
  const chain = new RemixChain();
  const id: string = await chain.add({ parents: [], author: 'ana', message: 'first', timeline: a });
  await chain.add({ timeline: text, createdAt: '2025-01-01T00:00:00Z' });
  const nodes: ChainNodeInfo[] = chain.nodes;
  const node: ChainNode = await chain.get(id);
  const ok: true = await chain.verify();
  const chainDiff: TimelineDiff = await chain.diff(id, id, options);
  const who: Blame = await chain.blame(id);
  const origin: BlameOrigin = who.tracks[0].items[0].origin;
  const saved: string = chain.toJSON();
  const again: RemixChain = await RemixChain.fromJSON(saved);
  const fromObject: Blame = await blame(JSON.parse(saved), id);
  const fromChain: Blame = await blame(again, id, { identity: 'uid' });
  const fromText: Blame = await blame(saved, id);
  console.log(
    track,
    change,
    timeline,
    conflicts,
    speed,
    edits,
    nodes,
    node,
    ok,
    chainDiff,
    origin,
    fromObject,
    fromChain,
    fromText,
  );
  // @ts-expect-error identity is uid, media or name
  await diffTimelines(a, b, { identity: 'hash' });
  // @ts-expect-error a node needs its timeline
  await chain.add({ author: 'ana' });
  // @ts-expect-error nodes is read-only
  chain.nodes = [];
}

async function media(file: File): Promise<void> {
  const info: MediaInfo = await probe(file, { signal: new AbortController().signal });
  const track: MediaTrack = info.tracks[0];
  const rotation: 0 | 90 | 180 | 270 = track.rotation;
  const rate: TrackFrameRate | null = track.frameRate;
  const nominal: string | undefined = rate?.nominal;
  const variable: boolean | undefined = rate?.variable;
  console.log(nominal, variable, rate?.average, rate?.nominalFps);
  const options: CutOptions = { start: 1.5, end: 2.5, undecodableAudio: 'drop', format: 'webm' };
  const plan: CutSummary = await cutPoints(file, options);
  const cut: TrackCut = plan.tracks[0];
  const decodeFrom: number | null = cut.decodeFrom;
  const out: Blob = await trim(file, { ...options, onProgress: (f: number) => console.log(f) });
  console.log(rotation, decodeFrom, out);
  // @ts-expect-error a cut needs its start
  await cutPoints(file, { end: 2 });
  // @ts-expect-error only mp4, webm and matroska are written
  await trim(file, { start: 0, format: 'avi' });
  // @ts-expect-error media comes as a Blob, not a URL
  await probe('clip.mp4');
  const segment: RenderSegment = { source: 'a', start: 2, end: 3 };
  const timeline: RenderTimeline = { segments: [segment, { ...segment, start: 0 }] };
  const renderOptions: RenderOptions = { sources: { a: file }, format: 'mp4' };
  const remix: Blob = await render(timeline, { ...renderOptions, onProgress: (f) => f });
  console.log(remix);
  const video: RenderVideo = { codec: 'vp9', width: 640, height: 360, bitrate: 2_000_000 };
  await render(timeline, { ...renderOptions, video });
  // @ts-expect-error the codecs render encodes to are named
  await render(timeline, { ...renderOptions, video: { codec: 'hevc' } });
  // @ts-expect-error a segment names its source
  await render({ segments: [{ start: 0, end: 1 }] }, renderOptions);
  // @ts-expect-error sources are Blobs by id
  await render(timeline, { sources: ['clip.mp4'] });
}

function editor(): void {
  const el: OuttakeEditor = document.createElement('outtake-editor');
  const cues: EditorCue[] = [{ startTime: 0, endTime: 1, text: 'hi' }];
  el.setCues(cues);
  const video: HTMLVideoElement = el.video;
  const track: TextTrack | null = el.captionsTrack;
  const text: string = el.captionText;
  const attributes: string[] = (customElements.get('outtake-editor') as typeof OuttakeEditor)
    .observedAttributes;
  console.log(video, track, text, attributes);
  el.editable = true;
  const edited: EditorCue[] = el.captions.cues;
  const cut: EditorTimeline = el.timeline;
  console.log(cut.segments.map((s) => [s.source, s.start, s.end]));
  el.captions = { cues: edited };
  el.addEventListener('change', (e) => {
    const detail = (e as CustomEvent<EditorChange>).detail;
    const kind: 'add' | 'delete' | 'start' | 'end' | 'text' | 'in' | 'out' = detail.edit.kind;
    console.log(kind, detail.captions.cues.length);
  });
  void el.toggleFullscreen();
  // @ts-expect-error editable is a boolean
  el.editable = 'yes';
  // @ts-expect-error cues need their times
  el.setCues([{ text: 'no times' }]);
}

async function frames(file: File): Promise<void> {
  const cuts: number[] = await shotChanges(file, { onProgress: (f: number) => f });
  await lintCaptions('WEBVTT\n', 'bbc', { frameRate: 25, shotChanges: cuts });
  const options: ThumbnailOptions = { count: 10, width: 160, keyframesOnly: true };
  const strip: ImageBitmap[] = await thumbnails(file, options);
  await thumbnails(file, { interval: 2, signal: new AbortController().signal });
  console.log(strip[0]?.width);
  // @ts-expect-error a URL is not a media file: fetch it first
  await shotChanges('clip.mp4');
  // @ts-expect-error count is a number
  await thumbnails(file, { count: '10' });
}

void [time, errors, captions, sync, remix, media, editor, frames];
