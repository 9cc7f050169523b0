// Plays the edit without exporting it: segment after segment, the player seeks to each one's
// in-point (switching to a cameo's file and back), stops at its out-point frame, and shows the
// captions as the edit re-times them (the same re-timing as the export's sidecar .vtt).
import { cuesInSegment, outputStarts } from './edit.js';

const $ = (id) => document.getElementById(id);

export class Preview {
  /**
   * `edit()` gives {segments, cues, urlOf(src), main, fps}: the segments to play, the re-timed
   * cues in edit time, a URL per source, the opened clip's name and the frame rate.
   * `onStop(src)` is told when the preview ends (the source on screen then).
   */
  constructor({ editor, edit, onStop, onError, onTime }) {
    Object.assign(this, { editor, edit, onStop, onError, onTime });
    this.video = editor.video;
    this.run = 0;
    this.src = null;
    $('preview-play').addEventListener('click', () => (this.playing ? this.stop() : this.play()));
  }

  get playing() {
    return document.body.dataset.preview === 'playing';
  }

  /** Plays the edit from its first segment. */
  async play() {
    const run = ++this.run;
    try {
      this.plan = await this.edit();
      if (run !== this.run || !this.plan.segments.length) return;
      this.starts = outputStarts(this.plan.segments);
      this.src = this.plan.main;
      document.body.dataset.preview = 'playing';
      $('preview-play').textContent = '■ Stop';
      $('preview-play').setAttribute('aria-pressed', 'true');
      await this.#enter(0, run);
    } catch (e) {
      this.stop();
      this.onError?.(e);
    }
  }

  /** Stops the preview: the opened clip (and its own captions) come back. */
  stop() {
    this.run++;
    if (!this.playing) return;
    this.video.pause();
    delete document.body.dataset.preview;
    delete document.body.dataset.previewSegment;
    $('preview-play').textContent = '▶ Play the edit';
    $('preview-play').setAttribute('aria-pressed', 'false');
    $('preview-time').textContent = '';
    this.onTime?.(null);
    this.onStop?.(this.src);
  }

  /** The source on screen: a cameo's name while the preview plays one. */
  get source() {
    return this.playing ? this.src : null;
  }

  async #enter(i, run) {
    const { segments, cues, urlOf, fps } = this.plan;
    const seg = segments[i];
    if (!seg) return this.stop();
    if (seg.src !== this.src) {
      await this.#load(urlOf(seg.src));
      if (run !== this.run) return;
      this.src = seg.src;
    }
    this.editor.setCues(cuesInSegment(cues, segments, i));
    document.body.dataset.previewSegment = String(i);
    // The middle of the first frame, so that the decoder shows exactly that one.
    await this.#seek(seg.start + 0.5 / fps);
    if (run !== this.run) return;
    await this.video.play().catch(() => {});
    const last = seg.end - 0.5 / fps;
    let left = false;
    // NOTE: a segment that runs to the end of its file ends with no frame after it to call back.
    const next = () => {
      this.video.removeEventListener('ended', next);
      if (left || run !== this.run) return;
      left = true;
      this.#enter(i + 1, run);
    };
    this.video.addEventListener('ended', next);
    const watch = () => {
      if (run !== this.run || left) return;
      const t = this.video.currentTime;
      const at = this.starts[i] + Math.max(0, t - seg.start);
      $('preview-time').textContent = `${at.toFixed(2)} / ${this.starts.at(-1).toFixed(2)} s`;
      this.onTime?.(at);
      if (t >= last) next();
      else if ('requestVideoFrameCallback' in this.video)
        this.video.requestVideoFrameCallback(watch);
      else setTimeout(watch, 15);
    };
    watch();
  }

  #load(url) {
    const rate = this.video.playbackRate;
    return new Promise((resolve, reject) => {
      const done = () => {
        this.video.removeEventListener('loadeddata', ok);
        this.video.removeEventListener('error', bad);
      };
      const ok = () => {
        done();
        this.video.playbackRate = rate;
        resolve();
      };
      const bad = () => {
        done();
        reject(new Error('the preview could not load a source'));
      };
      this.video.addEventListener('loadeddata', ok);
      this.video.addEventListener('error', bad);
      this.editor.setAttribute('src', url);
    });
  }

  #seek(t) {
    return new Promise((resolve) => {
      this.video.addEventListener('seeked', resolve, { once: true });
      this.video.currentTime = t;
    });
  }
}
