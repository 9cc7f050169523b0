// <outtake-editor src="clip.mp4" captions="clip.vtt">: a player with its captions drawn on it.

/** A cue as the element shows it: times in seconds, WebVTT cue text. */
export interface EditorCue {
  id?: string;
  startTime: number;
  endTime: number;
  text: string;
}

export class OuttakeEditor extends HTMLElement {
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
