// "Sync to speech" in the captions panel: re-times the loaded captions to the speech of the loaded
// clip with the engine's syncCaptions (the clip's Blob, decoded in the worker), with a progress
// bar and Cancel; draws the speech-activity strip under the cue blocks before and after; says what
// the sync did in plain words; Undo puts the previous captions back.
import { syncCaptions, speechActivity } from 'outtake';

const $ = (id) => document.getElementById(id);

const HTML = `
  <div class="row">
    <button type="button" id="sync-run" title="move the captions onto the speech of the clip">Sync to speech</button>
    <button type="button" id="sync-cancel" hidden>Cancel</button>
    <button type="button" id="sync-undo" hidden>Undo sync</button>
    <progress id="sync-progress" max="1" value="0" hidden></progress>
  </div>
  <div id="sync-strips" hidden>
    <div class="strip-label">before</div><canvas id="sync-before" class="sync-strip" width="600" height="36"></canvas>
    <div class="strip-label">after</div><canvas id="sync-after" class="sync-strip" width="600" height="36"></canvas>
    <div class="legend"><span class="speech">speech</span><span class="cue-block">caption</span></div>
  </div>
  <p id="sync-report" role="status"></p>`;

const STYLE = `
  .sync-strip { display: block; width: 100%; height: 36px; background: #111316; border: 1px solid var(--line); border-radius: 4px; margin: .2em 0; }
  #sync-report { color: #9aa0a8; font-size: .9em; margin: .3em 0; }
  #sync-report.done { color: #e8e8e8; }
  #sync-strips .legend .speech { background: #2f7d5b; }
  #sync-strips .legend .cue-block { background: #ffb000; color: #111; }`;

export class SyncPanel {
  /**
   * `captions()` and `setCaptions(c)` read and replace the panel's captions; `clip()` is the
   * loaded clip as a Blob, or null when none could be read.
   */
  constructor({ mount, captions, setCaptions, clip, onError }) {
    this.captions = captions;
    this.setCaptions = setCaptions;
    this.clip = clip;
    this.onError = onError;
    const style = document.createElement('style');
    style.textContent = STYLE;
    document.head.append(style);
    mount.insertAdjacentHTML('afterend', HTML);
    this.previous = null;
    this.controller = null;
    $('sync-run').addEventListener('click', () => this.run());
    $('sync-cancel').addEventListener('click', () => this.controller?.abort());
    $('sync-undo').addEventListener('click', () => this.undo());
  }

  busy(on) {
    $('sync-run').disabled = on;
    $('sync-cancel').hidden = !on;
    $('sync-progress').hidden = !on;
    if (on) {
      $('sync-progress').value = 0;
      $('sync-progress').dataset.reports = '0';
    }
  }

  /** A new clip: nothing of a sync made on the previous one stays, its undo included. */
  reset() {
    this.controller?.abort();
    this.previous = null;
    $('sync-undo').hidden = true;
    $('sync-strips').hidden = true;
    this.say('');
  }

  async run() {
    const blob = this.clip();
    if (!blob) return this.say('Open a clip first: its speech is what the captions are synced to.');
    if (!this.captions().cues.length)
      return this.say('Load or add captions first: there is nothing to sync yet.');
    const before = structuredClone(this.captions());
    this.controller = new AbortController();
    const signal = this.controller.signal;
    this.busy(true);
    this.say('Reading the clip’s audio…');
    try {
      const { captions, report } = await syncCaptions(before, blob, {
        signal,
        onProgress: (f) => {
          const bar = $('sync-progress');
          bar.value = f;
          bar.dataset.reports = String(Number(bar.dataset.reports || 0) + 1);
        },
      });
      // The strip is cheap next to the sync (same decode, no alignment): drawn after it, so the
      // captions change as soon as they can.
      const activity = await speechActivity(blob, { signal });
      this.previous = before;
      this.setCaptions(captions);
      $('sync-undo').hidden = false;
      this.draw(activity, before, captions);
      this.say(describe(report), true);
    } catch (e) {
      if (e.name === 'AbortError') this.say('Sync cancelled: the captions are as they were.');
      else {
        this.say('');
        this.onError(e);
      }
    } finally {
      this.busy(false);
      this.controller = null;
    }
  }

  undo() {
    if (!this.previous) return;
    this.setCaptions(this.previous);
    this.previous = null;
    $('sync-undo').hidden = true;
    $('sync-strips').hidden = true;
    this.say('Sync undone: the captions are back as they were.');
  }

  say(text, done = false) {
    $('sync-report').textContent = text;
    $('sync-report').classList.toggle('done', done);
  }

  /** The speech track (green) with the cue blocks (amber) over it, before and after. */
  draw(activity, before, after) {
    $('sync-strips').hidden = false;
    const seconds = activity.probability.length * activity.step;
    const end = Math.max(seconds, ...after.cues.map((c) => c.endTime), 0.01);
    for (const [id, captions] of [
      ['sync-before', before],
      ['sync-after', after],
    ]) {
      const canvas = $(id);
      canvas.width = canvas.clientWidth || 600;
      const g = canvas.getContext('2d');
      const x = (t) => (t / end) * canvas.width;
      g.clearRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = '#2f7d5b';
      for (const [a, b] of activity.segments) g.fillRect(x(a), 4, Math.max(1, x(b) - x(a)), 14);
      g.fillStyle = '#ffb000';
      for (const c of captions.cues)
        g.fillRect(x(c.startTime), 20, Math.max(1, x(c.endTime) - x(c.startTime)), 12);
      canvas.dataset.cues = String(captions.cues.length);
      canvas.dataset.speech = String(activity.segments.length);
    }
  }
}

/** The report in plain words. */
export function describe(r) {
  if (r.abstained) return `Left the captions as they were: ${r.reason}`;
  if (r.alreadyInSync) return 'The captions already sat on the speech: nothing was moved.';
  const s = (n) => (n === 1 ? '' : 's');
  const shift = (o) =>
    `${Math.abs(o) < 0.0005 ? 'not moved' : `moved ${Math.abs(o).toFixed(2)} s ${o < 0 ? 'earlier' : 'later'}`}`;
  const parts = [];
  if (r.segments.length === 1) parts.push(`Captions ${shift(r.segments[0].offset)}`);
  else
    parts.push(
      `Captions split into ${r.segments.length} stretches at ${r.splits.map((t) => `${t.toFixed(1)} s`).join(', ')}: ${r.segments.map((g) => shift(g.offset)).join('; ')}`,
    );
  if (Math.abs(r.ratio - 1) > 1e-6)
    parts.push(`timing scaled by ${r.ratio.toFixed(5)} (a frame-rate change)`);
  parts.push(`${r.cuesSnapped} cue${s(r.cuesSnapped)} snapped to the speech`);
  if (r.cuesSkippedNonDialogue)
    parts.push(
      `${r.cuesSkippedNonDialogue} non-dialogue cue${s(r.cuesSkippedNonDialogue)} moved with their neighbours`,
    );
  return `${parts.join(', ')}. Confidence ${Math.round(r.confidence * 100)}%.`;
}
