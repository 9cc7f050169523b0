// The caption panel: every cue with its rule violations and the parser's repairs beside it,
// editable text (entities decoded) and times; add, delete, split and merge cues, set a time from
// the playhead, shift all; a profile and auto-fix, all on the engine. The player shows the
// captions as they are edited. A cue whose end is not after its start is marked on the cue and
// left out of the rules and downloads (which say so), so that it blocks nothing else.
import {
  parseCaptions,
  serializeCaptions,
  captionProfiles,
  lintCaptions,
  fixCaptions,
} from 'outtake';
import { decodeCueText, diagnosticsByCue, encodeCueText } from './cue-text.js';

const $ = (id) => document.getElementById(id);
const fmt = (t) => t.toFixed(3);

export class CaptionsPanel {
  /**
   * `frameRate()` is the clip's rate ("25"); `onEdit(what)` is told of every edit once it is
   * made (the undo history); `onError` of failures the panel cannot place on a cue.
   */
  constructor({ editor, frameRate, onError, onEdit, onChanged }) {
    Object.assign(this, { editor, frameRate, onError, onEdit, onChanged });
    this.captions = { cues: [] };
    this.violations = [];
    this.lintRun = 0;
    this.name = 'captions';
    /** The parser's diagnostics of each cue object (they follow the cue through edits). */
    this.diagnostics = new WeakMap();
    this.fileDiagnostics = [];
    $('profile').addEventListener('change', () => this.lint());
    $('fix').addEventListener('click', () => this.fix());
    $('download-vtt').addEventListener('click', () => this.download('vtt'));
    $('download-srt').addEventListener('click', () => this.download('srt'));
    $('cue-add').addEventListener('click', () => this.add());
    $('cue-shift').addEventListener('click', () => this.shiftAll(Number($('cue-shift-by').value)));
    editor.video.addEventListener('timeupdate', () => this.markActive());
    editor.video.addEventListener('seeked', () => this.markActive());
  }

  async init() {
    const profiles = await captionProfiles();
    $('profile').replaceChildren(...profiles.map((p) => new Option(p.name, p.name)));
  }

  /** No captions: an empty list, and nothing left on the video. */
  reset() {
    this.status('');
    this.captions = { cues: [] };
    this.violations = [];
    this.fileDiagnostics = [];
    this.changed({ rerender: true });
  }

  /** Reads caption text (WebVTT or SRT) and shows it, the parser's repairs beside their cues. */
  async load(text, name = 'captions') {
    const parsed = await parseCaptions(text);
    this.status('');
    this.captions = parsed;
    this.name = name.replace(/\.[^.]*$/, '');
    const byCue = diagnosticsByCue(text, parsed.cues, parsed.diagnostics);
    parsed.cues.forEach((c, i) => {
      if (byCue.has(i)) this.diagnostics.set(c, byCue.get(i));
    });
    this.fileDiagnostics = byCue.get(-1) ?? [];
    this.changed({ rerender: true });
  }

  /** Plain cue objects of the current captions, for the history. */
  snapshot() {
    return this.captions.cues.map((c) => ({ ...c }));
  }

  /** Puts back cues from `snapshot` (undo, redo). */
  restore(cues) {
    const old = new Map(this.captions.cues.map((c) => [c.id || `${c.startTime}`, c]));
    this.captions = { ...this.captions, cues: cues.map((c) => ({ ...c })) };
    // Keep the repairs on cues that are still there.
    for (const c of this.captions.cues) {
      const before = old.get(c.id || `${c.startTime}`);
      if (before && this.diagnostics.has(before))
        this.diagnostics.set(c, this.diagnostics.get(before));
    }
    this.changed({ rerender: true });
  }

  /** After any change: the player shows the new cues, the rules run again. */
  changed({ rerender }) {
    this.editor.setCues(this.captions.cues.filter(valid));
    $('cue-count').textContent = String(this.captions.cues.length);
    if (rerender) this.render();
    else this.markTimes();
    this.lint();
    this.onChanged?.();
  }

  /** Moves cue `i` to [start, end) while it is dragged (the edit is told when it ends). */
  retime(i, start, end) {
    const cue = this.captions.cues[i];
    Object.assign(cue, { startTime: start, endTime: end });
    const el = document.querySelector(`#cue-list .cue[data-index="${i}"]`);
    if (el) {
      el.querySelector('.start').value = fmt(start);
      el.querySelector('.end').value = fmt(end);
    }
    this.changed({ rerender: false });
  }

  /** An edit made: redraw, and tell the history. */
  edited(what, { rerender = true } = {}) {
    this.changed({ rerender });
    this.onEdit?.(what);
  }

  /** The cues the rules and writers can take, with their indices in the list. */
  validCues() {
    const keep = [];
    this.captions.cues.forEach((c, i) => {
      if (valid(c)) keep.push([i, c]);
    });
    return keep;
  }

  /** The rules' options: the clip's frame rate, and its shot changes once they are found. */
  ruleOptions() {
    const shots = this.shotChanges ?? [];
    return { frameRate: this.frameRate(), ...(shots.length ? { shotChanges: shots } : {}) };
  }

  async lint() {
    const run = ++this.lintRun;
    const keep = this.validCues();
    try {
      const violations = await lintCaptions(
        { ...this.captions, cues: keep.map(([, c]) => c) },
        $('profile').value,
        this.ruleOptions(),
      );
      if (run !== this.lintRun) return;
      // Back to indices of the whole list.
      this.violations = violations.map((v) => ({ ...v, cue: keep[v.cue]?.[0] ?? v.cue }));
      this.showViolations();
      this.onError(null);
    } catch (e) {
      if (run === this.lintRun) this.onError(e);
    }
  }

  async fix() {
    const keep = this.validCues();
    try {
      const r = await fixCaptions(
        { ...this.captions, cues: keep.map(([, c]) => c) },
        $('profile').value,
        this.ruleOptions(),
      );
      // Fixed cues go back in their places; the ones the rules could not take stay as they are.
      const cues = [...this.captions.cues];
      const fixed = r.captions.cues;
      if (fixed.length === keep.length) {
        for (const [k, [i]] of keep.entries()) Object.assign(cues[i], fixed[k]);
      } else this.captions.cues = [...fixed, ...cues.filter((c) => !valid(c))];
      $('lint-summary').dataset.applied = String(r.applied.length);
      this.edited('auto-fix');
    } catch (e) {
      this.onError(e);
    }
  }

  async download(format) {
    const keep = this.validCues();
    const left = this.captions.cues.length - keep.length;
    const note = $('captions-note');
    try {
      const { text } = await serializeCaptions(
        { ...this.captions, cues: keep.map(([, c]) => c) },
        format,
      );
      const a = document.createElement('a');
      a.href = URL.createObjectURL(
        new Blob([text], { type: format === 'vtt' ? 'text/vtt' : 'text/plain' }),
      );
      a.download = `${this.name}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      note.textContent = left
        ? `${a.download}: ${left} cue${left === 1 ? '' : 's'} left out, marked below: ${left === 1 ? 'its end is' : 'their ends are'} not after the start.`
        : '';
    } catch (e) {
      this.onError(e);
    }
  }

  // ---- Edits ------------------------------------------------------------------------------

  /** The playhead on the clip's frame grid (the start of the frame on screen), seconds. */
  playhead() {
    const [n, d = '1'] = String(this.frameRate()).split('/');
    const fps = Number(n) / Number(d);
    const t = this.editor.video.currentTime;
    return Math.round((Math.floor(t * fps + 1e-6) / fps) * 1000) / 1000;
  }

  /** The index of the cue under the playhead, or -1. */
  cueAtPlayhead() {
    const t = this.editor.video.currentTime;
    return this.captions.cues.findIndex((c) => c.startTime <= t && t < c.endTime);
  }

  add() {
    const t = this.playhead();
    const cues = this.captions.cues;
    const next = cues.find((c) => c.startTime > t);
    const end = Math.min(t + 2, next ? next.startTime : t + 2);
    const cue = { id: '', startTime: t, endTime: end > t ? end : t + 2, text: 'New caption' };
    const at = next ? cues.indexOf(next) : cues.length;
    cues.splice(at, 0, cue);
    this.edited(`add cue ${at + 1}`);
    const area = document.querySelector(`#cue-list .cue[data-index="${at}"] textarea`);
    area?.focus();
    area?.select();
  }

  remove(i) {
    this.captions.cues.splice(i, 1);
    this.edited(`delete cue ${i + 1}`);
    // Focus stays in the list, on a cue rather than in its text, so Delete and Ctrl+Z go on.
    const el = document.querySelector(
      `#cue-list .cue[data-index="${Math.min(i, this.captions.cues.length - 1)}"] .seek`,
    );
    el?.focus();
  }

  /** Splits cue `i` at the playhead: its words are shared in proportion to the time. */
  split(i) {
    const c = this.captions.cues[i];
    const t = this.playhead();
    if (!(c.startTime < t && t < c.endTime))
      return this.status(`cue ${i + 1}: put the playhead inside it to split it`);
    const lines = c.text.split('\n');
    let head;
    let tail;
    if (lines.length > 1) {
      const k = Math.ceil(lines.length / 2);
      [head, tail] = [lines.slice(0, k).join('\n'), lines.slice(k).join('\n')];
    } else {
      const words = c.text.split(' ');
      const k = Math.min(
        words.length - 1,
        Math.max(1, Math.round((words.length * (t - c.startTime)) / (c.endTime - c.startTime))),
      );
      [head, tail] = [words.slice(0, k).join(' '), words.slice(k).join(' ')];
    }
    const right = { ...c, id: '', startTime: t, text: tail || head };
    Object.assign(c, { endTime: t, text: head });
    this.captions.cues.splice(i + 1, 0, right);
    this.edited(`split cue ${i + 1}`);
  }

  /** Merges cue `i` with the next one. */
  merge(i) {
    const [a, b] = [this.captions.cues[i], this.captions.cues[i + 1]];
    if (!b) return this.status(`cue ${i + 1} is the last: nothing to merge it with`);
    Object.assign(a, { endTime: Math.max(a.endTime, b.endTime), text: `${a.text}\n${b.text}` });
    this.captions.cues.splice(i + 1, 1);
    this.edited(`merge cues ${i + 1} and ${i + 2}`);
  }

  setTime(i, which) {
    this.captions.cues[i][which === 'start' ? 'startTime' : 'endTime'] = this.playhead();
    this.edited(`cue ${i + 1} ${which} from the playhead`);
  }

  shiftAll(seconds) {
    if (!Number.isFinite(seconds) || seconds === 0) return;
    for (const c of this.captions.cues) {
      c.startTime = Math.max(0, Math.round((c.startTime + seconds) * 1000) / 1000);
      c.endTime = Math.max(0, Math.round((c.endTime + seconds) * 1000) / 1000);
    }
    this.edited(`shift all by ${seconds} s`);
  }

  status(text) {
    $('captions-note').textContent = text;
  }

  // ---- Drawing ----------------------------------------------------------------------------

  render() {
    const list = $('cue-list');
    const file = this.fileDiagnostics.map((d) => diagItem(d));
    $('captions-file-diags').replaceChildren(...file);
    $('captions-file-diags').hidden = file.length === 0;
    list.replaceChildren(
      ...this.captions.cues.map((cue, i) => {
        const el = document.createElement('div');
        el.className = 'cue';
        el.dataset.index = String(i);
        el.setAttribute('role', 'group');
        el.setAttribute('aria-label', `cue ${i + 1}`);
        el.innerHTML = `<div class="times"><button type="button" class="seek" title="play from here">#${i + 1}</button>
          <input type="number" step="0.001" min="0" class="start"> →
          <input type="number" step="0.001" min="0" class="end"> s
          <span class="tools">
          <button type="button" class="set-start" title="start at the playhead">⇤</button>
          <button type="button" class="set-end" title="end at the playhead">⇥</button>
          <button type="button" class="split" title="split at the playhead">✂</button>
          <button type="button" class="merge" title="merge with the next cue">⤓</button>
          <button type="button" class="delete" title="delete this cue">✕</button></span></div>
          <textarea class="text" rows="2"></textarea><ul class="problems"></ul>`;
        const n = i + 1;
        const labels = {
          '.seek': `play cue ${n}`,
          '.start': `cue ${n} start (seconds)`,
          '.end': `cue ${n} end (seconds)`,
          '.set-start': `cue ${n}: start at the playhead`,
          '.set-end': `cue ${n}: end at the playhead`,
          '.split': `cue ${n}: split at the playhead`,
          '.merge': `cue ${n}: merge with the next cue`,
          '.delete': `delete cue ${n}`,
          '.text': `cue ${n} text`,
        };
        for (const [sel, label] of Object.entries(labels))
          el.querySelector(sel).setAttribute('aria-label', label);
        el.querySelector('.start').value = fmt(cue.startTime);
        el.querySelector('.end').value = fmt(cue.endTime);
        el.querySelector('.text').value = decodeCueText(cue.text);
        el.querySelector('.start').addEventListener('change', (e) => {
          cue.startTime = Number(e.target.value);
          this.edited(`cue ${n} start`, { rerender: false });
        });
        el.querySelector('.end').addEventListener('change', (e) => {
          cue.endTime = Number(e.target.value);
          this.edited(`cue ${n} end`, { rerender: false });
        });
        const text = el.querySelector('.text');
        text.addEventListener('input', () => {
          cue.text = encodeCueText(text.value);
          this.changed({ rerender: false });
        });
        // One history entry per edit of the text, when it is done.
        text.addEventListener('change', () => this.onEdit?.(`cue ${n} text`));
        el.querySelector('.seek').addEventListener('click', () => {
          this.editor.video.currentTime = cue.startTime + 0.001;
        });
        el.querySelector('.set-start').addEventListener('click', () => this.setTime(i, 'start'));
        el.querySelector('.set-end').addEventListener('click', () => this.setTime(i, 'end'));
        el.querySelector('.split').addEventListener('click', () => this.split(i));
        el.querySelector('.merge').addEventListener('click', () => this.merge(i));
        el.querySelector('.delete').addEventListener('click', () => this.remove(i));
        return el;
      }),
    );
    this.markTimes();
    this.showViolations();
    this.markActive();
  }

  /** Marks the cues whose end is not after their start, on the cue itself. */
  markTimes() {
    for (const el of document.querySelectorAll('#cue-list .cue')) {
      const c = this.captions.cues[Number(el.dataset.index)];
      const bad = !!c && !valid(c);
      el.classList.toggle('bad-time', bad);
      for (const input of el.querySelectorAll('.start, .end')) input.ariaInvalid = String(bad);
    }
  }

  showViolations() {
    const byCue = new Map();
    for (const v of this.violations) byCue.set(v.cue, [...(byCue.get(v.cue) || []), v]);
    for (const el of document.querySelectorAll('#cue-list .cue')) {
      const i = Number(el.dataset.index);
      const cue = this.captions.cues[i];
      if (!cue) continue;
      const vs = byCue.get(i) || [];
      const items = [];
      if (!valid(cue)) {
        const li = document.createElement('li');
        li.className = 'bad-time';
        li.dataset.rule = 'end-before-start';
        li.textContent = `The end (${fmt(cue.endTime)} s) is not after the start (${fmt(cue.startTime)} s): this cue is not shown, checked or downloaded until its times are fixed.`;
        items.push(li);
      }
      for (const v of vs) {
        const li = document.createElement('li');
        li.className = v.fixable ? 'fixable' : '';
        li.dataset.rule = v.rule;
        li.textContent = `${v.rule}: ${v.message}`;
        items.push(li);
      }
      for (const d of this.diagnostics.get(cue) ?? []) items.push(diagItem(d));
      el.classList.toggle('bad', vs.length > 0);
      el.querySelector('ul').replaceChildren(...items);
    }
    const fixable = this.violations.filter((v) => v.fixable).length;
    const n = this.violations.length;
    $('lint-summary').textContent =
      `${n} violation${n === 1 ? '' : 's'} (${fixable} fixable) under ${$('profile').value}`;
    $('lint-summary').dataset.count = String(n);
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

/** A cue the rules, writers and player can take: its end after its start. */
const valid = (c) => Number.isFinite(c.startTime) && c.endTime > c.startTime;

function diagItem(d) {
  const li = document.createElement('li');
  li.className = 'repair';
  li.dataset.code = d.code;
  li.textContent = `repaired, line ${d.line}: ${d.message}`;
  return li;
}
