// The caption panel: every cue with its rule violations, editable text and times, a profile,
// and auto-fix, all on the engine; the player shows the captions as they are edited.
import {
  parseCaptions,
  serializeCaptions,
  captionProfiles,
  lintCaptions,
  fixCaptions,
} from 'outtake';

const $ = (id) => document.getElementById(id);

export class CaptionsPanel {
  constructor({ editor, frameRate, onError }) {
    this.editor = editor;
    this.frameRate = frameRate;
    this.onError = onError;
    this.captions = { cues: [] };
    this.violations = [];
    this.lintRun = 0;
    $('profile').addEventListener('change', () => this.lint());
    $('fix').addEventListener('click', () => this.fix());
    $('download-vtt').addEventListener('click', () => this.download('vtt'));
    $('download-srt').addEventListener('click', () => this.download('srt'));
    editor.video.addEventListener('timeupdate', () => this.markActive());
  }

  async init() {
    const profiles = await captionProfiles();
    $('profile').replaceChildren(...profiles.map((p) => new Option(p.name, p.name)));
  }

  /** No captions: an empty list, and nothing left on the video. */
  reset() {
    this.captions = { cues: [] };
    this.violations = [];
    this.changed({ rerender: true });
  }

  /** Reads caption text (WebVTT or SRT) and shows it. */
  async load(text) {
    this.captions = await parseCaptions(text);
    this.changed({ rerender: true });
  }

  /** After any change: the player shows the new cues, the rules run again. */
  changed({ rerender }) {
    this.editor.setCues(this.captions.cues);
    if (rerender) this.render();
    this.lint();
  }

  async lint() {
    const run = ++this.lintRun;
    try {
      const violations = await lintCaptions(this.captions, $('profile').value, {
        frameRate: this.frameRate(),
      });
      if (run !== this.lintRun) return;
      this.violations = violations;
      this.showViolations();
      this.onError(null);
    } catch (e) {
      this.onError(e);
    }
  }

  async fix() {
    try {
      const r = await fixCaptions(this.captions, $('profile').value, {
        frameRate: this.frameRate(),
      });
      this.captions = r.captions;
      this.changed({ rerender: true });
      $('lint-summary').dataset.applied = String(r.applied.length);
    } catch (e) {
      this.onError(e);
    }
  }

  async download(format) {
    const { text } = await serializeCaptions(this.captions, format);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(
      new Blob([text], { type: format === 'vtt' ? 'text/vtt' : 'text/plain' }),
    );
    a.download = `captions.${format}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  render() {
    const list = $('cue-list');
    list.replaceChildren();
    this.captions.cues.forEach((cue, i) => {
      const el = document.createElement('div');
      el.className = 'cue';
      el.dataset.index = String(i);
      el.innerHTML = `<div class="times"><span>#${i + 1}</span>
        <input type="number" step="0.001" min="0" class="start" aria-label="start (s)"> →
        <input type="number" step="0.001" min="0" class="end" aria-label="end (s)"> s</div>
        <textarea class="text" rows="2" aria-label="cue text"></textarea><ul></ul>`;
      el.querySelector('.start').value = cue.startTime.toFixed(3);
      el.querySelector('.end').value = cue.endTime.toFixed(3);
      el.querySelector('.text').value = cue.text;
      el.querySelector('.start').addEventListener('change', (e) =>
        this.edit(i, { startTime: Number(e.target.value) }),
      );
      el.querySelector('.end').addEventListener('change', (e) =>
        this.edit(i, { endTime: Number(e.target.value) }),
      );
      el.querySelector('.text').addEventListener('input', (e) =>
        this.edit(i, { text: e.target.value }),
      );
      el.querySelector('.times').addEventListener('click', (e) => {
        if (e.target.tagName !== 'INPUT') this.editor.video.currentTime = cue.startTime + 0.001;
      });
      list.append(el);
    });
    this.showViolations();
  }

  edit(i, change) {
    Object.assign(this.captions.cues[i], change);
    this.changed({ rerender: false });
  }

  showViolations() {
    const byCue = new Map();
    for (const v of this.violations) byCue.set(v.cue, [...(byCue.get(v.cue) || []), v]);
    for (const el of document.querySelectorAll('#cue-list .cue')) {
      const vs = byCue.get(Number(el.dataset.index)) || [];
      el.classList.toggle('bad', vs.length > 0);
      el.querySelector('ul').replaceChildren(
        ...vs.map((v) => {
          const li = document.createElement('li');
          li.className = v.fixable ? 'fixable' : '';
          li.dataset.rule = v.rule;
          li.textContent = `${v.rule}: ${v.message}`;
          return li;
        }),
      );
    }
    const fixable = this.violations.filter((v) => v.fixable).length;
    $('lint-summary').textContent =
      `${this.violations.length} violation${this.violations.length === 1 ? '' : 's'} (${fixable} fixable) under ${$('profile').value}`;
    $('lint-summary').dataset.count = String(this.violations.length);
    $('lint-summary').dataset.fixable = String(fixable);
  }

  markActive() {
    const t = this.editor.video.currentTime;
    for (const el of document.querySelectorAll('#cue-list .cue')) {
      const c = this.captions.cues[Number(el.dataset.index)];
      el.classList.toggle('active', !!c && c.startTime <= t && t < c.endTime);
    }
  }
}
