// The trim panel: in/out handles on the current clip with its keyframes marked, where the cut
// will land and how many frames will be re-encoded (asked before export), and an export with
// progress and cancel that ends in a download link. All the media work runs in the engine's worker.
import { probe, cutPoints, trim } from 'outtake';

const $ = (id) => document.getElementById(id);

export class TrimPanel {
  /**
   * @param {{video: HTMLVideoElement, source: () => string, name: () => string, onError: (e) => void}} o
   * `source` is the clip's URL (a blob: URL for a picked file), `name` its file name.
   */
  constructor({ video, source, name, onError }) {
    Object.assign(this, { video, source, name, onError });
    this.blob = null;
    this.info = null;
    this.planRun = 0;
    this.controller = null;
    for (const end of ['in', 'out']) {
      $(`trim-${end}`).addEventListener('input', () => this.moved(end));
      $(`trim-set-${end}`).addEventListener('click', () => this.setToPlayhead(end));
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

  /** Reads the current clip: duration and keyframes from `probe`, handles reset to the whole. */
  async load() {
    const url = this.source();
    if (url === this.loaded) return;
    this.loaded = url;
    try {
      this.blob = await (await fetch(url)).blob();
      this.info = await probe(this.blob);
    } catch (e) {
      this.info = null;
      $('trim-plan').textContent = '–';
      return this.onError(e);
    }
    const d = this.info.duration;
    for (const [end, value] of [
      ['in', 0],
      ['out', d],
    ]) {
      const el = $(`trim-${end}`);
      el.max = String(d);
      el.value = String(value);
    }
    const video = this.info.tracks.find((t) => t.kind === 'video');
    const ticks = $('trim-keyframes');
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
    const undecodable = this.info.tracks
      .filter((t) => t.kind === 'audio' && !t.decodable)
      .map((t) => t.codec);
    $('trim-audio-row').hidden = undecodable.length === 0;
    $('trim-audio-codec').textContent = undecodable.join(', ');
    $('trim-download').hidden = true;
    this.moved();
  }

  setToPlayhead(end) {
    $(`trim-${end}`).value = String(this.video.currentTime);
    this.moved(end);
  }

  /** After a handle moves: keep in < out, show the times, ask where the cut lands. */
  async moved(end) {
    if (!this.info) return;
    let a = Number($('trim-in').value);
    let b = Number($('trim-out').value);
    if (a >= b) {
      if (end === 'out') a = Math.max(0, b - 0.04);
      else b = Math.min(this.info.duration, a + 0.04);
      $('trim-in').value = String(a);
      $('trim-out').value = String(b);
    }
    $('trim-in-value').textContent = `${a.toFixed(3)} s`;
    $('trim-out-value').textContent = `${b.toFixed(3)} s`;
    if (end) this.video.currentTime = end === 'in' ? a : b;
    const run = ++this.planRun;
    try {
      const cut = await cutPoints(this.blob, { start: a, end: b, ...this.outputOptions() });
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
      this.onError(null);
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
        start: Number($('trim-in').value),
        end: Number($('trim-out').value),
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
      link.download = `${this.name().replace(/\.[^.]*$/, '')}-trim.${ext}`;
      link.textContent = `Download ${link.download} (${(out.size / 1024).toFixed(0)} kB)`;
      link.hidden = false;
      status.textContent = `done in ${((performance.now() - t0) / 1000).toFixed(2)} s`;
    } catch (e) {
      status.textContent = e.name === 'AbortError' ? 'cancelled' : '';
      if (e.name !== 'AbortError') this.onError(e);
    } finally {
      this.controller = null;
      progress.hidden = true;
      $('trim-cancel').hidden = true;
      $('trim-export').disabled = false;
    }
  }
}
