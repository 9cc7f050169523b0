// Export of the edit: the clips joined by the engine's `render` (the container chosen, progress,
// cancel) into a download named after the clip, a sidecar .vtt of the captions re-timed through
// the same edit, the edit as OpenTimelineIO and as a CMX 3600 EDL, and the project as a file.
import { exportEdl, exportOtio, render, serializeCaptions } from 'outtake';
import { renderMessage, showAlert } from './messages.js';

const $ = (id) => document.getElementById(id);

/** Gives the browser `blob` to save as `name`. */
export function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 5000);
}

const EXT = { 'video/webm': 'webm', 'video/x-matroska': 'mkv', 'video/mp4': 'mp4' };

export class ExportPanel {
  /**
   * `edit()` resolves to {segments, sources (id → Blob), captions (re-timed, edit time),
   * sourceCaptions (the clip's, in its own time) and main (the clip's source id), base
   * (the clip's name without extension), timeline (the head's OTIO), rate (the rate string)}.
   */
  constructor({ edit }) {
    this.edit = edit;
    this.controller = null;
    $('export-go').addEventListener('click', () => this.export());
    $('export-cancel').addEventListener('click', () => this.controller?.abort());
    $('export-vtt').addEventListener('click', () => this.#saving(() => this.sidecar()));
    $('export-otio').addEventListener('click', () => this.#saving(() => this.otio()));
    $('export-edl').addEventListener('click', () => this.#saving(() => this.edl()));
    this.update(false);
  }

  /** Export is on only when there is an edit to export (and no export running). */
  update(ready) {
    this.ready = ready;
    for (const id of ['export-go', 'export-vtt', 'export-otio', 'export-edl'])
      $(id).disabled = !ready || (id === 'export-go' && !!this.controller);
  }

  onError(e) {
    showAlert($('export-error'), e ? renderMessage(e) : null, e);
  }

  async #saving(make) {
    this.onError(null);
    try {
      await make();
    } catch (e) {
      showAlert($('export-error'), `The file could not be made: ${e.message}`, e);
    }
  }

  async export() {
    if (!this.ready || this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    const progress = $('export-progress');
    const status = $('export-status');
    progress.value = 0;
    progress.hidden = false;
    $('export-cancel').hidden = false;
    $('export-go').disabled = true;
    $('export-link').hidden = true;
    this.onError(null);
    status.textContent = 'exporting…';
    const t0 = performance.now();
    try {
      const { segments, sources, base, fps, sourceCaptions, main } = await this.edit();
      const format = $('export-format').value || undefined;
      // Soft captions: the clip's own, re-timed by render through the same edit as the sidecar.
      const soft =
        $('export-captions').checked && sourceCaptions?.cues?.length
          ? { captions: sourceCaptions, captionsSource: main }
          : {};
      // NOTE: the middle of the first and last frames: float seconds on a frame boundary can
      // land a hair before it and take the neighbour frame too.
      const half = 0.5 / fps;
      const out = await render(
        {
          segments: segments.map(({ src, start, end }) => ({
            source: src,
            start: start + half,
            end: end - half,
          })),
        },
        {
          sources,
          format,
          ...soft,
          signal: controller.signal,
          onProgress: (f) => (progress.value = f),
        },
      );
      const link = $('export-link');
      if (link.href) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(out);
      link.download = `${base}-edit.${EXT[out.type] ?? 'mp4'}`;
      link.textContent = `Download ${link.download} (${(out.size / 1024).toFixed(0)} kB)`;
      link.hidden = false;
      status.textContent = `done in ${((performance.now() - t0) / 1000).toFixed(2)} s`;
      document.body.dataset.exported = link.download;
    } catch (e) {
      status.textContent = e.name === 'AbortError' ? 'cancelled' : '';
      if (e.name !== 'AbortError') this.onError(e);
    } finally {
      this.controller = null;
      progress.hidden = true;
      $('export-cancel').hidden = true;
      this.update(this.ready);
    }
  }

  /** The captions re-timed through the edit, as WebVTT. */
  async sidecar() {
    const { captions, base } = await this.edit();
    const { text } = await serializeCaptions(captions, 'vtt');
    download(new Blob([text], { type: 'text/vtt' }), `${base}-edit.vtt`);
  }

  async otio() {
    const { timeline, base } = await this.edit();
    const text = await exportOtio(timeline);
    download(new Blob([text], { type: 'application/json' }), `${base}-edit.otio`);
  }

  async edl() {
    const { timeline, base, rate } = await this.edit();
    const text = await exportEdl(timeline, { rate, title: `${base} edit` });
    download(new Blob([text], { type: 'text/plain' }), `${base}-edit.edl`);
  }
}
