// <outtake-editor src="clip.mp4" captions="clip.vtt" [editable]>: a player with its captions drawn
// over the video, in any page, from one script tag; with `editable`, an editor under it (in/out
// on frames, captions) that fires `change` on every edit; `export()` renders the cut. Captions
// are drawn by the element, not the browser, so that they look the same everywhere and follow
// edits at once. A video or caption file that fails to load fires `error` (an OuttakeError).

import { loadCaptionsTrack } from './captions-track.js';
import { decodeCueText, encodeCueText } from './cue-text.js';
import { OuttakeError } from './errors.js';

const STYLE = `
:host { display: block; position: relative; background: #000; color: #fff; font: 16px/1.3 system-ui, sans-serif; }
.stage { position: relative; container-type: inline-size; }
/* A portrait clip fits the viewport: the height is capped and the picture letterboxed. */
video { display: block; width: 100%; height: auto; max-height: var(--outtake-max-height, 72vh); object-fit: contain; background: #000; }
:host(:fullscreen) .stage, :host(:fullscreen) video { width: 100%; height: 100%; max-height: none; }
:host(:fullscreen) .stage { height: 100vh; }
/* Clear of the native controls (about 54 px high), always. */
.caption { position: absolute; left: 5%; right: 5%; bottom: calc(var(--outtake-controls-height, 56px) + 2%); text-align: center; pointer-events: none; }
.caption .cue { margin: .1em 0; }
.caption .text { background: rgba(0,0,0,.78); padding: .05em .35em; white-space: pre-line; line-height: 1.45;
  box-decoration-break: clone; -webkit-box-decoration-break: clone; font-size: clamp(13px, 3.4cqw, 34px); }
.caption i { font-style: italic; } .caption b { font-weight: 700; } .caption u { text-decoration: underline; }
.caption .white { color: #fff; } .caption .lime { color: #0f0; } .caption .cyan { color: #0ff; } .caption .red { color: #f44; }
.caption .yellow { color: #ff0; } .caption .magenta { color: #f0f; } .caption .blue { color: #6af; } .caption .black { color: #000; }
.fullscreen { position: absolute; top: .5em; right: .5em; width: 2.2em; height: 2.2em; border: 0; border-radius: 4px; cursor: pointer;
  background: rgba(0,0,0,.55); color: #fff; line-height: 0; opacity: .75; display: grid; place-items: center; padding: 0; }
.fullscreen:hover, .fullscreen:focus-visible { opacity: 1; outline: 2px solid #ffb000; }
.error { background: #b00020; color: #fff; padding: .4em .6em; font-size: 14px; }
.edit { background: #16181c; color: #e8e8e8; padding: .5em .6em; font-size: 14px; }
.edit[hidden] { display: none; }
.edit ol { list-style: none; margin: .4em 0 0; padding: 2px 0; display: grid; gap: .35em; max-height: 40vh; overflow: auto; }
.edit li { display: grid; grid-template-columns: auto auto 1fr auto; gap: .4em; align-items: start; }
.edit input, .edit textarea, .edit button { font: inherit; color: inherit; background: #0e0f12; border: 1px solid #34373f; border-radius: 3px; }
.edit input { width: 6.5em; padding: .15em .3em; font-variant-numeric: tabular-nums; }
.edit textarea { min-height: 2.4em; resize: vertical; padding: .15em .3em; }
.edit button { cursor: pointer; padding: .15em .5em; background: #2a2d34; }
.edit button:hover, .edit button:focus-visible { border-color: #ffb000; }
.edit [aria-invalid=true] { border-color: #ff6b6b; }
.cut{display:flex;flex-wrap:wrap;gap:.4em;align-items:center;margin-bottom:.4em}
.length{color:#9aa0a8;margin-left:auto}
`;

// Voices (<v Name>) get a colour each, in the order they first speak.
const VOICE_COLOURS = ['#ffe066', '#7fdbff', '#b8f28c', '#ffb3a7', '#d7b8ff', '#ffc870'];

export class OuttakeEditor extends HTMLElement {
  static observedAttributes = ['src', 'captions', 'editable'];

  #video;
  #caption;
  #error;
  #edit;
  #track = null;
  #generation = 0;
  /** The captions as plain cues ({id, startTime, endTime, text}), edits included. */
  #cues = [];

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    // NOTE: the native fullscreen button is hidden: it fullscreens the bare <video>, without the
    // captions drawn over it. Ours fullscreens the element.
    root.innerHTML = `<style>${STYLE}</style><div class="stage"><video part="video" controls controlslist="nofullscreen" playsinline preload="auto"></video><div class="caption" part="caption" aria-live="polite"></div><button type="button" class="fullscreen" part="fullscreen" aria-label="Full screen" title="Full screen"><svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"/></svg></button></div><div class="error" part="error" role="alert" hidden></div><div class="edit" part="editor" hidden><div class="cut" part="cut"><label>In <input type="number" class="in" step="any" aria-label="in-point (seconds)"></label><button type="button" class="set-in">⇤ here</button><label>Out <input type="number" class="out" step="any" aria-label="out-point (seconds)"></label><button type="button" class="set-out">here ⇥</button><span class="length"></span></div><button type="button" class="add">+ Cue at the playhead</button><ol aria-label="captions"></ol></div>`;
    this.#video = root.querySelector('video');
    this.#caption = root.querySelector('.caption');
    this.#error = root.querySelector('.error');
    this.#edit = root.querySelector('.edit');
    root.querySelector('.fullscreen').addEventListener('click', () => this.toggleFullscreen());
    root.querySelector('.add').addEventListener('click', () => this.#addCue());
    for (const end of ['in', 'out']) {
      const input = root.querySelector(`.cut .${end}`);
      input.addEventListener('change', () =>
        this.#setPoint(end, Math.round(input.value * this.#rate())),
      );
      root.querySelector(`.set-${end}`).addEventListener('click', () => {
        const f = Math.floor(this.#video.currentTime * this.#rate() + 1e-6);
        this.#setPoint(end, end === 'in' ? f : f + 1);
      });
    }
    this.#video.addEventListener('loadedmetadata', () => this.#showCut());
    this.#video.addEventListener('error', () => {
      const src = this.getAttribute('src');
      if (!src) return;
      const code = this.#video.error?.code;
      this.#showError(
        new OuttakeError(
          'ERR_MEDIA_PLAYBACK',
          `${src}: this browser cannot play this video (media error ${code}${this.#video.error?.message ? `: ${this.#video.error.message}` : ''})`,
        ),
        'The video could not be played',
      );
    });
  }

  /**
   * The captions shown, edits included: `{cues: [{id, startTime, endTime, text}]}` (a copy).
   * Setting it replaces them, as `setCues` does.
   */
  get captions() {
    return { cues: this.#cues.map((c) => ({ ...c })) };
  }

  set captions(value) {
    this.setCues(Array.isArray(value) ? value : (value?.cues ?? []));
  }

  // Mid-frame seconds: float seconds on a frame boundary could take the neighbour frame too.
  get timeline() {
    const fps = this.#rate();
    const [a, b] = this.#frames();
    return { segments: [{ source: 'video', start: (a + 0.5) / fps, end: (b - 0.5) / fps }] };
  }

  async export(options = {}) {
    const { render } = await import('./index.js');
    const blob = await this.#source();
    return render(this.timeline, { ...options, sources: { video: blob } });
  }

  /** Whether the caption editor is on (the `editable` attribute). */
  get editable() {
    return this.hasAttribute('editable');
  }

  set editable(on) {
    this.toggleAttribute('editable', Boolean(on));
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
    return [...this.#caption.querySelectorAll('.text')].map((s) => s.textContent).join('\n');
  }

  /** Fullscreens the element (video and captions), or leaves fullscreen. */
  toggleFullscreen() {
    if (document.fullscreenElement === this) return document.exitFullscreen();
    return this.requestFullscreen();
  }

  attributeChangedCallback(name, _old, value) {
    if (name === 'src') {
      this.#blob = null;
      this.#info = null;
      this.#cut = null;
      if (value) this.#video.src = value;
      else this.#video.removeAttribute('src');
      this.#probe();
    } else if (name === 'captions') {
      this.#loadCaptions(value);
    } else if (name === 'editable') {
      this.#edit.hidden = value === null;
      this.#renderList();
      this.#probe();
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

  // ---- Editing (with `editable`) -------------------------------------------------------------

  #cut = null;
  #blob = null;
  #info = null;

  #source() {
    const src = this.getAttribute('src');
    this.#blob ??= fetch(src).then(
      (r) =>
        r.ok ? r.blob() : Promise.reject(new OuttakeError('ERR_FETCH', `${src}: HTTP ${r.status}`)),
      (e) => Promise.reject(new OuttakeError('ERR_FETCH', `${src}: ${e.message}`)),
    );
    return this.#blob;
  }

  async #probe() {
    if (this.#info || !this.editable || !this.getAttribute('src')) return;
    try {
      const { probe } = await import('./index.js');
      this.#info = await probe(await this.#source());
      this.#showCut();
    } catch (e) {
      this.#showError(e, 'The video could not be read');
    }
  }

  #rate() {
    return this.#info?.tracks.find((t) => t.kind === 'video')?.frameRate?.nominalFps || 30;
  }

  #duration() {
    return this.#info?.duration || this.#video.duration || 0;
  }

  /** [in, out) in frames. */
  #frames() {
    const fps = this.#rate();
    const [s, e] = this.#cut ?? [0, this.#duration()];
    const a = Math.round(s * fps);
    return [a, Math.max(a + 1, Math.round(e * fps))];
  }

  #setPoint(end, f) {
    const fps = this.#rate();
    let [a, b] = this.#frames();
    f = Math.max(0, Math.min(Math.round(this.#duration() * fps), f || 0));
    if (end === 'in') a = Math.min(f, b - 1);
    else b = Math.max(f, a + 1);
    this.#cut = [a / fps, b / fps];
    this.#showCut();
    this.#changed({ kind: end });
  }

  #showCut() {
    const fps = this.#rate();
    const [a, b] = this.#frames();
    const field = (c) => this.shadowRoot.querySelector(`.cut .${c}`);
    if (!(this.#duration() > 0)) return;
    field('in').value = (a / fps).toFixed(3);
    field('out').value = (b / fps).toFixed(3);
    field('length').textContent = `${b - a} frames, ${((b - a) / fps).toFixed(2)} s`;
  }

  /** Shows the edited cues and tells the page: `change` with `detail: {captions, edit}`. */
  #edited(edit, { rerender = false } = {}) {
    this.#showCues();
    if (rerender) this.#renderList();
    else this.#markTimes();
    this.#changed(edit);
  }

  #changed(edit) {
    const detail = { captions: this.captions, timeline: this.timeline, edit };
    this.dispatchEvent(new CustomEvent('change', { detail }));
  }

  #addCue() {
    const t = Math.round(this.#video.currentTime * 1000) / 1000;
    const next = this.#cues.findIndex((c) => c.startTime > t);
    const at = next < 0 ? this.#cues.length : next;
    const end = next < 0 ? t + 2 : Math.min(t + 2, this.#cues[next].startTime);
    this.#cues.splice(at, 0, { id: '', startTime: t, endTime: end > t ? end : t + 2, text: '' });
    this.#edited({ kind: 'add', cue: at }, { rerender: true });
    this.#edit.querySelectorAll('textarea')[at]?.focus();
  }

  #renderList() {
    if (!this.editable) return;
    const list = this.#edit.querySelector('ol');
    list.replaceChildren(
      ...this.#cues.map((cue, i) => {
        const li = document.createElement('li');
        const n = i + 1;
        li.innerHTML = `<input type="number" step="0.001" min="0" class="start"><input type="number" step="0.001" min="0" class="end"><textarea rows="1"></textarea><button type="button" class="delete">✕</button>`;
        const [start, end] = li.querySelectorAll('input');
        const text = li.querySelector('textarea');
        start.setAttribute('aria-label', `cue ${n} start (seconds)`);
        end.setAttribute('aria-label', `cue ${n} end (seconds)`);
        text.setAttribute('aria-label', `cue ${n} text`);
        li.querySelector('.delete').setAttribute('aria-label', `delete cue ${n}`);
        start.value = cue.startTime.toFixed(3);
        end.value = cue.endTime.toFixed(3);
        text.value = decodeCueText(cue.text);
        for (const [input, key] of [
          [start, 'startTime'],
          [end, 'endTime'],
        ]) {
          input.addEventListener('change', () => {
            cue[key] = Number(input.value);
            this.#edited({ kind: key === 'startTime' ? 'start' : 'end', cue: i });
          });
        }
        text.addEventListener('input', () => {
          cue.text = encodeCueText(text.value);
          this.#edited({ kind: 'text', cue: i });
        });
        li.querySelector('.delete').addEventListener('click', () => {
          this.#cues.splice(i, 1);
          this.#edited({ kind: 'delete', cue: i }, { rerender: true });
        });
        return li;
      }),
    );
    this.#markTimes();
  }

  /** A cue whose end is not after its start is marked, and not shown, until fixed. */
  #markTimes() {
    const rows = this.#edit.querySelectorAll('li');
    this.#cues.forEach((c, i) => {
      for (const input of rows[i]?.querySelectorAll('input') ?? [])
        input.setAttribute('aria-invalid', String(!(c.endTime > c.startTime)));
    });
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
    this.#cues = cues.map((c) => ({
      id: c.id ?? '',
      startTime: c.startTime,
      endTime: c.endTime,
      text: c.text ?? '',
    }));
    this.#showCues();
    this.#renderList();
    this.dispatchEvent(new CustomEvent('captionsload', { detail: { count: cues.length } }));
  }

  /** Puts the cues in the TextTrack the captions are drawn from. */
  #showCues() {
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
    for (const c of this.#cues) {
      if (!(c.endTime > c.startTime)) continue;
      const cue = new VTTCue(c.startTime, c.endTime, c.text);
      if (c.id) cue.id = c.id;
      this.#track.addCue(cue);
    }
    this.#render();
  }

  #render() {
    const active = this.#track?.activeCues ? [...this.#track.activeCues] : [];
    this.#caption.replaceChildren(
      ...active.map((cue) => {
        // getCueAsHTML runs the browser's own cue-text parser: <i>, <b>, <u>, classes and
        // entities come out as HTML; a voice <v Name> as <span title="Name">.
        const text = document.createElement('span');
        text.className = 'text';
        text.append(cue.getCueAsHTML());
        for (const voice of text.querySelectorAll('span[title]')) {
          voice.style.color = this.#voiceColour(voice.title);
          voice.dataset.voice = voice.title;
        }
        const line = document.createElement('div');
        line.className = 'cue';
        line.append(text);
        return line;
      }),
    );
  }

  #voices = new Map();

  #voiceColour(name) {
    if (!this.#voices.has(name))
      this.#voices.set(name, VOICE_COLOURS[this.#voices.size % VOICE_COLOURS.length]);
    return this.#voices.get(name);
  }

  #showError(e, what = 'Captions could not be loaded') {
    this.#error.textContent = `${what}: ${e.message}`;
    this.#error.hidden = false;
    this.dispatchEvent(new CustomEvent('error', { detail: e }));
  }
}

if (!customElements.get('outtake-editor')) customElements.define('outtake-editor', OuttakeEditor);
