// <outtake-editor src="clip.mp4" captions="clip.vtt">: a player with its captions drawn on it.

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
 * `<outtake-editor src="clip.mp4" captions="clip.vtt">`: a player with its captions (WebVTT or
 * SRT, read by the engine) drawn over the video, the same in every browser. A caption file that
 * cannot be read shows an error and fires an `error` event whose `detail` is an OuttakeError;
 * loaded captions fire `captionsload` with `detail.count`.
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
  /** The attributes the element follows: `src` (the video) and `captions` (a caption file URL). */
  static readonly observedAttributes: string[];
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
