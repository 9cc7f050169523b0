// <outtake-editor src="clip.mp4" captions="clip.vtt" [editable]>: a player with its captions drawn
// on it, and with `editable` a caption editor that fires `change` on every edit.

/**
 * A cue as the element shows it: times in seconds, WebVTT cue text (markup such as `<i>` and
 * entities work).
 *
 * @example
 * ```js
 * import 'outtake/editor';
 * const editor = document.createElement('outtake-editor');
 * editor.setCues([{ id: 'one', startTime: 0, endTime: 2, text: '<i>Hello</i>' }]);
 * editor.captionsTrack.cues[0].id; // "one"
 * ```
 */
export interface EditorCue {
  /** The cue's identifier, if any. */
  id?: string;
  /** Seconds. */
  startTime: number;
  /** Seconds. */
  endTime: number;
  /** WebVTT cue text. */
  text: string;
}

/**
 * What a `change` event of `<outtake-editor editable>` carries: the captions after the edit, and
 * which edit it was.
 *
 * @example
 * ```js
 * import 'outtake/editor';
 * const editor = document.createElement('outtake-editor');
 * editor.setAttribute('editable', '');
 * document.body.append(editor);
 * editor.captions = { cues: [{ startTime: 0, endTime: 2, text: 'Tom &amp; Jerry' }] };
 * const changed = new Promise((resolve) => editor.addEventListener('change', (e) => resolve(e.detail)));
 * const text = editor.shadowRoot.querySelector('textarea');
 * text.value; // "Tom & Jerry"
 * text.value = 'Salt & pepper';
 * text.dispatchEvent(new Event('input'));
 * const detail = await changed;
 * detail.edit.kind; // "text"
 * detail.captions.cues[0].text; // "Salt &amp; pepper"
 * ```
 */
export interface EditorChange {
  /** The captions after the edit (as the `captions` property gives them). */
  captions: { cues: EditorCue[] };
  /** The cut after the edit (as the `timeline` property gives it). */
  timeline: EditorTimeline;
  /** The edit: its kind and, for a caption edit, the index of the cue it changed. */
  edit: { kind: 'add' | 'delete' | 'start' | 'end' | 'text' | 'in' | 'out'; cue?: number };
}

/**
 * The cut `<outtake-editor editable>` holds, as `render` takes it: segments of its video
 * (`source: 'video'`), seconds, each the middle of its first and of its last frame kept.
 *
 * @example
 * ```js
 * import 'outtake/editor';
 * const editor = document.createElement('outtake-editor');
 * editor.timeline.segments[0].source; // "video"
 * ```
 */
export interface EditorTimeline {
  segments: { source: 'video'; start: number; end: number }[];
}

/**
 * `<outtake-editor src="clip.mp4" captions="clip.vtt">`: a player with its captions (WebVTT or
 * SRT, read by the engine) drawn over the video, the same in every browser: markup drawn (italic,
 * bold, a colour per voice), fullscreen with the captions. A video or caption file that cannot be
 * loaded shows an error and fires an `error` event whose `detail` is an OuttakeError (code
 * `ERR_MEDIA_PLAYBACK` for the video); loaded captions fire `captionsload` with `detail.count`.
 * With the `editable` attribute an editor under the player (in and out points on the video's
 * frames; caption times, text with entities decoded, add, delete) fires `change` (an
 * {@link EditorChange}) on every edit; `timeline` and `captions` hold the edit, and `export()`
 * renders it.
 *
 * @example
 * ```js
 * import 'outtake/editor';
 * const editor = document.createElement('outtake-editor');
 * document.body.append(editor);
 * const loaded = new Promise((resolve) => editor.addEventListener('captionsload', (e) => resolve(e.detail.count)));
 * editor.setAttribute('captions', URL.createObjectURL(new Blob(['WEBVTT\n\n00:00.000 --> 00:05.000\nHi\n'])));
 * await loaded; // 1
 * editor.video instanceof HTMLVideoElement; // true
 * ```
 */
export class OuttakeEditor extends HTMLElement {
  /**
   * The attributes the element follows: `src` (the video), `captions` (a caption file URL) and
   * `editable` (the caption editor on).
   */
  static readonly observedAttributes: string[];
  /** Whether the caption editor is on: the `editable` attribute. */
  editable: boolean;
  /** The captions shown, edits included (a copy); setting it replaces them, as setCues does. */
  captions: { cues: EditorCue[] };
  /** The cut: the in and out points of the editor, on the video's frames. */
  readonly timeline: EditorTimeline;
  /**
   * Renders `timeline` of the video into a new Blob with the engine's `render` (loaded then);
   * `options` as render's: `format`, `onProgress`, `signal`, `undecodableAudio`.
   */
  export(options?: {
    format?: 'mp4' | 'webm' | 'matroska';
    onProgress?: (fraction: number) => void;
    signal?: AbortSignal;
    undecodableAudio?: 'error' | 'drop' | 'copy';
  }): Promise<Blob>;
  /** Fullscreens the element (video and captions drawn over it), or leaves fullscreen. */
  toggleFullscreen(): Promise<void>;
  /** The element's `<video>`. */
  readonly video: HTMLVideoElement;
  /** The TextTrack holding the current captions, or null before any were loaded. */
  readonly captionsTrack: TextTrack | null;
  /** The caption text on screen now (lines joined by "\n"). */
  readonly captionText: string;
  /** Replaces the captions shown with `cues`. */
  setCues(cues: EditorCue[]): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'outtake-editor': OuttakeEditor;
  }
}
