// <outtake-editor src="clip.mp4" captions="clip.vtt">: a player with its captions drawn over the
// video, in any page, from one script tag. Captions are drawn by the element itself (not the
// browser's native renderer) so that they look the same everywhere and follow edits at once.

import { loadCaptionsTrack } from './captions-track.js';

const STYLE = `
:host { display: block; position: relative; background: #000; color: #fff; font: 16px/1.3 system-ui, sans-serif; }
.stage { position: relative; }
video { display: block; width: 100%; height: auto; background: #000; }
.caption { position: absolute; left: 5%; right: 5%; bottom: 12%; text-align: center; pointer-events: none; }
.caption span.line { display: inline-block; background: rgba(0,0,0,.78); padding: .1em .4em; margin: .05em 0; white-space: pre-wrap;
  font-size: clamp(12px, 3.4cqw, 32px); }
.stage { container-type: inline-size; }
.error { position: absolute; inset: auto 0 0 0; background: #b00020; color: #fff; padding: .4em .6em; font-size: 14px; }
`;

export class OuttakeEditor extends HTMLElement {
  static observedAttributes = ['src', 'captions'];

  #video;
  #caption;
  #error;
  #track = null;
  #generation = 0;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${STYLE}</style><div class="stage"><video part="video" controls playsinline preload="auto"></video><div class="caption" part="caption" aria-live="polite"></div></div><div class="error" part="error" hidden></div>`;
    this.#video = root.querySelector('video');
    this.#caption = root.querySelector('.caption');
    this.#error = root.querySelector('.error');
  }

  /** The element's `<video>`, for playback control. */
  get video() {
    return this.#video;
  }

  /** The TextTrack holding the current captions, or null. */
  get captionsTrack() {
    return this.#track;
  }

  /** The caption text on screen now, as shown (lines joined by "\n"). */
  get captionText() {
    return [...this.#caption.querySelectorAll('span.line')].map((s) => s.textContent).join('\n');
  }

  attributeChangedCallback(name, _old, value) {
    if (name === 'src') {
      if (value) this.#video.src = value;
      else this.#video.removeAttribute('src');
    } else if (name === 'captions') {
      this.#loadCaptions(value);
    }
  }

  /**
   * Shows `cues` ([{startTime, endTime, text}] with WebVTT cue text) instead of the current
   * captions; used by editors that change captions live.
   */
  setCues(cues) {
    this.#generation++;
    this.#install(cues);
  }

  async #loadCaptions(url) {
    const generation = ++this.#generation;
    if (!url) return this.#install([]);
    try {
      const cues = await loadCaptionsTrack(url);
      if (generation === this.#generation) this.#install(cues);
    } catch (e) {
      if (generation !== this.#generation) return;
      this.#install([]);
      this.#showError(e);
    }
  }

  #install(cues) {
    this.#error.hidden = true;
    if (!this.#track) {
      // NOTE: a TextTrack made with addTextTrack can never be removed; we keep one and swap its cues.
      this.#track = this.#video.addTextTrack(
        'captions',
        'Captions',
        document.documentElement.lang || 'en',
      );
      this.#track.mode = 'hidden';
      this.#track.addEventListener('cuechange', () => this.#render());
    }
    for (const cue of [...(this.#track.cues || [])]) this.#track.removeCue(cue);
    for (const c of cues) {
      const cue = new VTTCue(c.startTime, c.endTime, c.text);
      if (c.id) cue.id = c.id;
      this.#track.addCue(cue);
    }
    this.#render();
    this.dispatchEvent(new CustomEvent('captionsload', { detail: { count: cues.length } }));
  }

  #render() {
    const active = this.#track?.activeCues ? [...this.#track.activeCues] : [];
    this.#caption.replaceChildren();
    for (const cue of active) {
      // getCueAsHTML runs the browser's own cue-text parser: markup (<i>, <v>) and entities work.
      const html = cue.getCueAsHTML();
      const text = document.createElement('div');
      text.append(html);
      for (const line of text.textContent.split('\n')) {
        const span = document.createElement('span');
        span.className = 'line';
        span.textContent = line;
        this.#caption.append(span, document.createElement('br'));
      }
    }
  }

  #showError(e) {
    this.#error.textContent = `Captions could not be loaded: ${e.message}`;
    this.#error.hidden = false;
    this.dispatchEvent(new CustomEvent('error', { detail: e }));
  }
}

if (!customElements.get('outtake-editor')) customElements.define('outtake-editor', OuttakeEditor);
