// The trim panel: in/out handles on the current clip that step by its frames, with its keyframes
// marked, where the cut will land and how many frames will be re-encoded (asked before export),
// and an export with progress and cancel that ends in a download link. All the media work runs
// in the engine's worker.
import { cutPoints, trim } from 'outtake';
import { showAlert, trimMessage } from './messages.js';

const $ = (id) => document.getElementById(id);

/** Frames per second of a rate string ("30000/1001", "25"). */
export const fpsOf = (rate) => {
  const [n, d = '1'] = String(rate).split('/');
  return Number(n) / Number(d);
};

export class TrimPanel {
  /**
   * @param {{video: HTMLVideoElement, onEdit?: (what: string) => void}} o `onEdit` is told of
   * every change of the in/out points once it settles (the undo history).
   */
  constructor({ video, onEdit, onMoved }) {
    Object.assign(this, { video, onEdit, onMoved });
    this.name = '';
    this.blob = null;
    this.info = null;
    this.planRun = 0;
    this.controller = null;
    for (const end of ['in', 'out']) {
      $(`trim-${end}`).addEventListener('input', () => this.moved(end));
      $(`trim-${end}`).addEventListener('change', () => this.onEdit?.(`${end}-point`));
      $(`trim-set-${end}`).addEventListener('click', () => {
        this.setToPlayhead(end);
        this.onEdit?.(`${end}-point`);
      });
    }
    $('trim-export').addEventListener('click', () => this.export());
    $('trim-cancel').addEventListener('click', () => this.controller?.abort());
    $('trim-audio').addEventListener('change', () => this.moved());
    $('trim-format').addEventListener('change', () => this.moved());
  }

  /**
   * Options every media call of the panel shares: the output container (where the cut lands
   * depends on it), and what to do with audio this browser cannot decode (E-AC-3), which the
   * panel asks only when the clip has some.
   */
  outputOptions() {
    const format = $('trim-format').value || undefined;
    return $('trim-audio-row').hidden
      ? { format }
      : { format, undecodableAudio: $('trim-audio').value };
  }

  onError(e, exporting = false) {
    showAlert($('trim-error'), e ? trimMessage(e, exporting) : null, e);
  }

  /** Forgets the clip: nothing to trim, Export off. */
  clear() {
    this.blob = this.info = null;
    this.planRun++;
    this.controller?.abort();
    $('trim-plan').textContent = '–';
    $('trim-keyframes').replaceChildren();
    $('trim-keyframes').dataset.count = '0';
    for (const end of ['in', 'out']) {
      $(`trim-${end}`).max = '0';
      $(`trim-${end}`).value = '0';
      $(`trim-${end}-value`).textContent = '–';
    }
    $('trim-audio-row').hidden = true;
    $('trim-download').hidden = true;
    $('trim-status').textContent = '';
    $('trim-export').disabled = true;
    this.onError(null);
    this.onMoved?.();
  }

  /**
   * Takes a probed clip: `blob` and `info` from probe, `rate` its frame rate ("25",
   * "30000/1001"). The handles count frames of that rate and reset to the whole clip.
   */
  load({ blob, info, rate, name }) {
    this.clear();
    Object.assign(this, { blob, info, rate, name, fps: fpsOf(rate) });
    this.frames = Math.max(1, Math.round(info.duration * this.fps));
    for (const [end, value] of [
      ['in', 0],
      ['out', this.frames],
    ]) {
      const el = $(`trim-${end}`);
      el.max = String(this.frames);
      el.value = String(value);
    }
    const video = info.tracks.find((t) => t.kind === 'video');
    const ticks = $('trim-keyframes');
    const d = info.duration;
    ticks.replaceChildren(
      ...(video ? video.keyframes : []).map((k) => {
        const tick = document.createElement('span');
        tick.className = 'tick';
        tick.style.left = `${(100 * k) / d}%`;
        tick.title = `keyframe at ${k.toFixed(3)} s`;
        return tick;
      }),
    );
    ticks.dataset.count = String(ticks.children.length);
    const undecodable = info.tracks
      .filter((t) => t.kind === 'audio' && !t.decodable)
      .map((t) => t.codec);
    $('trim-audio-row').hidden = undecodable.length === 0;
    $('trim-audio-codec').textContent = undecodable.join(', ');
    // With nothing but that audio, leaving it out would leave nothing: keep it.
    const onlyThat = info.tracks.every((t) => t.kind === 'audio' && !t.decodable);
    $('trim-audio').querySelector('option[value=drop]').disabled = onlyThat;
    $('trim-audio').value = onlyThat ? 'copy' : 'drop';
    $('trim-export').disabled = false;
    this.moved();
  }

  /** The in and out points as frames [in, out): the cut keeps frames in..out-1. */
  get range() {
    return [Number($('trim-in').value), Number($('trim-out').value)];
  }

  set range([a, b]) {
    $('trim-in').value = String(a);
    $('trim-out').value = String(b);
    this.moved();
  }

  /** When frame `k` starts, seconds (the end of the clip at most). */
  timeOf(k) {
    return Math.min(this.info.duration, k / this.fps);
  }

  /**
   * The cut in seconds for the engine: the middle of the first and just after the last kept
   * frame, so that float seconds never land a hair before a frame boundary and take one more.
   */
  cut() {
    const [a, b] = this.range;
    return { start: (a + 0.5) / this.fps, end: Math.min(this.info.duration, (b - 0.5) / this.fps) };
  }

  /** In at the frame on screen, or out just after it (so that it is kept). */
  setToPlayhead(end) {
    if (!this.info) return;
    const k = Math.floor(this.video.currentTime * this.fps + 1e-6);
    $(`trim-${end}`).value = String(end === 'in' ? k : k + 1);
    this.moved(end);
  }

  /** After a handle moves: keep in < out, show the times, ask where the cut lands. */
  async moved(end) {
    if (!this.info) return;
    let [a, b] = this.range;
    if (a >= b) {
      if (end === 'out') a = Math.max(0, b - 1);
      else b = Math.min(this.frames, a + 1);
      $('trim-in').value = String(a);
      $('trim-out').value = String(b);
    }
    for (const [which, k] of [
      ['in', a],
      ['out', b],
    ]) {
      const text = `${this.timeOf(k).toFixed(3)} s`;
      $(`trim-${which}-value`).textContent = text;
      $(`trim-${which}`).setAttribute('aria-valuetext', `frame ${k}, ${text}`);
    }
    this.onMoved?.();
    // Show the first kept frame, or the last one.
    if (end) this.video.currentTime = ((end === 'in' ? a : b - 1) + 0.5) / this.fps;
    const { start, end: stop } = this.cut();
    const run = ++this.planRun;
    try {
      const cut = await cutPoints(this.blob, { start, end: stop, ...this.outputOptions() });
      if (run !== this.planRun) return;
      const v = cut.tracks.find((t) => t.kind === 'video') || cut.tracks[0];
      const plan = $('trim-plan');
      plan.dataset.reencoded = String(v.framesReencoded);
      plan.dataset.frames = String(v.framesTotal);
      plan.textContent =
        `lands at [${v.cutStart.toFixed(3)}, ${v.cutEnd.toFixed(3)}) s: ${v.framesTotal} frames, ` +
        (v.framesReencoded
          ? `${v.framesReencoded} re-encoded, ${v.framesCopied} copied`
          : 'all copied (in-point on a keyframe)');
      // Frames to re-encode of a video WebCodecs cannot decode here: the export would fail, so
      // say so now, and keep Export off until the in-point is on a keyframe.
      const track = this.info.tracks.find((t) => t.id === v.trackId);
      const stuck = v.kind === 'video' && v.framesReencoded > 0 && track && !track.decodable;
      $('trim-export').disabled = stuck || !!this.controller;
      this.onError(
        stuck
          ? {
              code: 'ERR_NEEDS_REENCODE',
              message: `${v.framesReencoded} frame(s) of track ${v.trackId} (${track.codec}) need re-encoding, and this browser cannot decode ${track.codec}`,
            }
          : null,
      );
    } catch (e) {
      if (run === this.planRun) this.onError(e);
    }
  }

  async export() {
    if (!this.info || this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    const progress = $('trim-progress');
    progress.value = 0;
    progress.hidden = false;
    $('trim-cancel').hidden = false;
    $('trim-export').disabled = true;
    $('trim-download').hidden = true;
    const status = $('trim-status');
    status.textContent = 'exporting…';
    const t0 = performance.now();
    try {
      const out = await trim(this.blob, {
        ...this.cut(),
        ...this.outputOptions(),
        signal: controller.signal,
        onProgress: (f) => {
          progress.value = f;
        },
      });
      const link = $('trim-download');
      if (link.href) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(out);
      const ext =
        out.type === 'video/webm' ? 'webm' : out.type === 'video/x-matroska' ? 'mkv' : 'mp4';
      link.download = `${this.name.replace(/\.[^.]*$/, '')}-trim.${ext}`;
      link.textContent = `Download ${link.download} (${(out.size / 1024).toFixed(0)} kB)`;
      link.hidden = false;
      status.textContent = `done in ${((performance.now() - t0) / 1000).toFixed(2)} s`;
    } catch (e) {
      status.textContent = e.name === 'AbortError' ? 'cancelled' : '';
      if (e.name !== 'AbortError') this.onError(e, true);
    } finally {
      this.controller = null;
      progress.hidden = true;
      $('trim-cancel').hidden = true;
      $('trim-export').disabled = !this.info;
    }
  }
}
