// The timeline strip under the player: a time ruler with zoom, the clip's keyframes, the trim
// range, and the captions as blocks that can be dragged (moved) or pulled by an edge (resized),
// snapped to the clip's frames; a playhead that follows playback frame by frame
// (requestVideoFrameCallback) and seeks on a click or drag of the ruler.
// The edit lane shows the clips of the edit in edit order (their own time, laid end to end):
// click selects, a drag reorders, Ctrl+←/→ moves the focused clip; each says which edit made it
// and which last changed it (blame of the remix chain's head).
// Lanes are rows of marks or blocks; filmstrip thumbnails, the waveform and shot changes (the
// render pipeline's `thumbnails()`, `shotChanges()`) are more lanes, added with `setLane`.

import { drawWave } from './waveform.js';
import { drawFilm } from './filmstrip.js';

const $ = (id) => document.getElementById(id);
const EDGE = 6; // px of a caption block's edge that resizes rather than moves

/** "1:05" or "1:05.5" at fine zoom. */
function label(t, step) {
  const m = Math.floor(t / 60);
  const s = t - m * 60;
  const digits = step < 1 ? 1 : 0;
  return `${m}:${s.toFixed(digits).padStart(digits ? 4 : 2, '0')}`;
}

export class Timeline {
  /**
   * `fps()` the clip's frame rate; `captions` the caption panel (its cues are the blocks, and
   * `retime(i, start, end)` / `edited(what)` apply a drag); `trim()` the [in, out] seconds.
   */
  constructor({ video, fps, captions, trim, edit }) {
    Object.assign(this, { video, fps, captions, trim, edit });
    this.duration = 0;
    this.pps = 80; // pixels per second
    this.lanes = new Map();
    this.scroller = $('timeline-scroll');
    this.content = $('timeline-content');
    $('timeline-zoom-in').addEventListener('click', () => this.zoom(1.5));
    $('timeline-zoom-out').addEventListener('click', () => this.zoom(1 / 1.5));
    $('timeline-fit').addEventListener('click', () => this.fit());
    this.ruler = $('timeline-ruler');
    this.playhead = $('timeline-playhead');
    this.#seekOnRuler();
    this.#follow();
  }

  /** A new clip: its length and keyframes; zoom fits it. */
  load({ duration, keyframes = [] }) {
    this.duration = duration;
    this.wave = null;
    this.film = null;
    this.lanes.delete('shots');
    this.setLane(
      'keyframes',
      keyframes.map((t) => ({ t, title: `keyframe at ${t.toFixed(3)} s` })),
    );
    this.fit();
  }

  /** The clip's waveform ({perSecond, peaks}, or null), drawn under the ruler. */
  setWave(wave) {
    this.wave = wave;
    $('timeline-wave').dataset.peaks = String(wave?.peaks.length ?? 0);
    this.draw();
  }

  /** The clip's filmstrip ({times, bitmaps} from `thumbnails`, or null), drawn under the ruler. */
  setFilm(film) {
    this.film = film;
    $('timeline-film').dataset.frames = String(film?.bitmaps.length ?? 0);
    this.draw();
  }

  /** Sets the marks of lane `name` ([{t, title}]) and draws them. */
  setLane(name, marks) {
    this.lanes.set(name, marks);
    this.draw();
  }

  zoom(factor) {
    const centre = this.video.currentTime;
    this.pps = Math.min(2000, Math.max(this.minPps(), this.pps * factor));
    this.fitted = this.pps <= this.minPps();
    this.draw();
    this.scroller.scrollLeft = centre * this.pps - this.scroller.clientWidth / 2;
  }

  /** Pixels per second at which the whole clip fits. */
  minPps() {
    const span = Math.max(this.duration, this.editDuration());
    return span > 0 ? (this.scroller.clientWidth - 2) / span : 80;
  }

  fit() {
    this.fitted = true;
    this.draw();
  }

  /** Seconds the edit lasts (its clips end to end). */
  editDuration() {
    const remix = this.edit?.();
    if (!remix) return 0;
    return remix.clips.reduce((t, c) => t + (c.end - c.start) / remix.rate, 0);
  }

  draw() {
    // Fitted stays fitted as the edit grows or shrinks; a zoom the user chose is kept.
    if (this.fitted) this.pps = this.minPps();
    const span = Math.max(this.duration, this.editDuration());
    const width = Math.max(this.scroller.clientWidth - 2, span * this.pps);
    this.content.style.width = `${width}px`;
    this.content.dataset.pps = String(this.pps);
    $('timeline-zoom-level').textContent = `${Math.round(this.pps)} px/s`;
    this.drawRuler();
    drawFilm($('timeline-film'), this.film, this.pps, this.duration * this.pps);
    drawWave($('timeline-wave'), this.wave, this.pps, this.duration * this.pps);
    this.drawMarks();
    this.drawTrim();
    this.drawCues();
    this.drawClips();
    this.movePlayhead(this.video.currentTime);
  }

  drawRuler() {
    // A tick at least every 60 px: 1/fps, 0.1, 0.5, 1, 2, 5, 10, 30, 60 s.
    const steps = [1 / this.fps(), 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300];
    const step = steps.find((s) => s * this.pps >= 60) ?? 600;
    const ticks = [];
    for (let i = 0; i * step <= this.duration + 1e-9; i++) {
      const t = i * step;
      const tick = document.createElement('span');
      tick.className = 'tick';
      tick.style.left = `${t * this.pps}px`;
      tick.textContent = label(t, step);
      ticks.push(tick);
    }
    this.ruler.replaceChildren(...ticks);
    this.ruler.dataset.step = String(step);
  }

  /** Keyframes, and shot changes (taller, in their own colour) once they are found. */
  drawMarks() {
    const lane = $('timeline-keyframes');
    const marks = [
      ...(this.lanes.get('keyframes') ?? []).map((m) => ({ ...m, kind: 'mark' })),
      ...(this.lanes.get('shots') ?? []).map((m) => ({ ...m, kind: 'mark shot' })),
    ];
    lane.replaceChildren(
      ...marks.map((m) => {
        const el = document.createElement('span');
        el.className = m.kind;
        el.style.left = `${m.t * this.pps}px`;
        el.title = m.title;
        return el;
      }),
    );
  }

  drawTrim() {
    const [a, b] = this.trim() ?? [0, this.duration];
    const el = $('timeline-trim');
    el.style.left = `${a * this.pps}px`;
    el.style.width = `${Math.max(0, b - a) * this.pps}px`;
  }

  /** The caption blocks; each can be dragged or pulled by an edge. */
  drawCues() {
    // A drag moves its own block; redrawing would take the element from under the pointer.
    if (this.dragging) return;
    const lane = $('timeline-cues');
    lane.replaceChildren(
      ...this.captions.captions.cues.map((c, i) => {
        const el = document.createElement('div');
        el.className = 'block';
        el.dataset.index = String(i);
        el.tabIndex = 0;
        el.setAttribute('role', 'button');
        el.setAttribute('aria-label', `cue ${i + 1} on the timeline: play from its start`);
        el.title = `cue ${i + 1}: drag to move, pull an edge to change its start or end`;
        el.addEventListener('keydown', (e) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          this.video.currentTime = c.startTime + 0.001;
        });
        el.textContent = c.text.replace(/<[^>]*>/g, '').replace(/\n/g, ' ');
        this.placeCue(el, c);
        el.addEventListener('pointerdown', (e) => this.#drag(e, el, i));
        el.addEventListener('pointermove', (e) => {
          if (this.dragging) return;
          const box = el.getBoundingClientRect();
          const edge = e.clientX - box.left < EDGE || box.right - e.clientX < EDGE;
          el.style.cursor = edge ? 'ew-resize' : 'grab';
        });
        return el;
      }),
    );
  }

  /** The clips of the edit, end to end in edit order. */
  drawClips() {
    const remix = this.edit?.();
    const lane = $('timeline-clips');
    if (!remix || this.draggingClip) return;
    const rate = remix.rate;
    const n = remix.clips.length;
    // Redrawn after every commit: the clip that had the focus keeps it.
    const focused = lane.contains(document.activeElement)
      ? document.activeElement.dataset.uid
      : null;
    let t = 0;
    lane.replaceChildren(
      ...remix.clips.map((c, i) => {
        const dur = (c.end - c.start) / rate;
        const cameo = c.src !== remix.media;
        const name = `${cameo ? 'cameo' : 'shot'} ${c.uid}`;
        const el = document.createElement('div');
        el.className = 'clip-block';
        el.classList.toggle('cameo', cameo);
        el.classList.toggle('selected', c.uid === remix.selected);
        el.dataset.uid = c.uid;
        el.dataset.index = String(i);
        el.style.left = `${t * this.pps}px`;
        el.style.width = `${Math.max(3, dur * this.pps)}px`;
        el.tabIndex = 0;
        el.setAttribute('role', 'button');
        el.setAttribute('aria-pressed', String(c.uid === remix.selected));
        el.setAttribute(
          'aria-label',
          `${name}, clip ${i + 1} of ${n}: Enter selects it, Ctrl+Left or Right moves it`,
        );
        const b = remix.blameOf(c.uid);
        const title = document.createElement('span');
        title.className = 'name';
        title.textContent = cameo ? `${name} · ${c.src}` : name;
        const by = document.createElement('span');
        by.className = 'by';
        by.textContent = b ? `last: ${b.changed.message}` : '';
        el.append(title, by);
        if (b) el.dataset.changed = b.changed.id;
        const span = `${(c.start / rate).toFixed(3)}–${(c.end / rate).toFixed(3)} s`;
        el.title =
          `${name}: ${c.src} ${span}` +
          (b
            ? `; made by “${b.introduced.message}”, last changed by “${b.changed.message}” (${b.changed.id.slice(0, 8)})`
            : '') +
          '. Drag to reorder.';
        el.addEventListener('pointerdown', (e) => this.#dragClip(e, el, c.uid));
        el.addEventListener('keydown', (e) => {
          if ((e.key === 'Enter' || e.key === ' ') && !e.ctrlKey) {
            e.preventDefault();
            remix.select(c.uid);
            this.#focusClip(c.uid);
          } else if ((e.ctrlKey || e.metaKey) && /^Arrow(Left|Right)$/.test(e.key)) {
            e.preventDefault();
            e.stopPropagation();
            remix.selected = c.uid;
            remix.moveTo(c.uid, i + (e.key === 'ArrowLeft' ? -1 : 1));
            this.#focusClip(c.uid);
          }
        });
        t += dur;
        return el;
      }),
    );
    if (focused) this.#focusClip(focused);
  }

  #focusClip(uid) {
    $('timeline-clips').querySelector(`[data-uid="${uid}"]`)?.focus();
  }

  /** A click selects; a drag moves the clip to where its middle is dropped. */
  #dragClip(e, el, uid) {
    e.preventDefault();
    const remix = this.edit();
    const x0 = e.clientX;
    const blocks = [...$('timeline-clips').children];
    const mid = (b) => b.offsetLeft + b.offsetWidth / 2;
    el.setPointerCapture(e.pointerId);
    let moved = false;
    let to = Number(el.dataset.index);
    const move = (ev) => {
      const dx = ev.clientX - x0;
      if (!moved && Math.abs(dx) < 4) return;
      moved = true;
      this.draggingClip = true;
      el.classList.add('dragging');
      el.style.transform = `translateX(${dx}px)`;
      // Dropped where the pointer is: after every other clip whose middle is left of it.
      const x = ev.clientX - $('timeline-clips').getBoundingClientRect().left;
      const others = blocks.filter((b) => b !== el);
      to = others.filter((b) => mid(b) < x).length;
      for (const b of others) b.classList.toggle('drop-before', b === others[to]);
    };
    const up = () => {
      el.removeEventListener('pointermove', move);
      this.draggingClip = false;
      if (moved) remix.moveTo(uid, to);
      else remix.select(uid);
      this.drawClips();
      this.#focusClip(uid);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up, { once: true });
  }

  placeCue(el, c) {
    el.style.left = `${c.startTime * this.pps}px`;
    el.style.width = `${Math.max(2, (c.endTime - c.startTime) * this.pps)}px`;
    el.classList.toggle('bad', !(c.endTime > c.startTime));
  }

  /** Seconds on the clip's frame grid, to the millisecond. */
  snap(t) {
    const f = this.fps();
    return Math.round((Math.round(t * f) / f) * 1000) / 1000;
  }

  #drag(e, el, i) {
    e.preventDefault();
    const cue = this.captions.captions.cues[i];
    const box = el.getBoundingClientRect();
    const mode =
      e.clientX - box.left < EDGE ? 'start' : box.right - e.clientX < EDGE ? 'end' : 'move';
    const from = { x: e.clientX, start: cue.startTime, end: cue.endTime };
    el.setPointerCapture(e.pointerId);
    el.classList.add('dragging');
    this.dragging = true;
    let moved = false;
    const move = (ev) => {
      const dt = (ev.clientX - from.x) / this.pps;
      if (Math.abs(ev.clientX - from.x) < 2 && !moved) return;
      moved = true;
      let { start, end } = from;
      if (mode !== 'end') start = this.snap(Math.max(0, from.start + dt));
      if (mode !== 'start') end = this.snap(from.end + (mode === 'move' ? start - from.start : dt));
      if (mode === 'move') end = Math.round((from.end + (start - from.start)) * 1000) / 1000;
      this.captions.retime(i, start, end);
      this.placeCue(el, this.captions.captions.cues[i]);
    };
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.classList.remove('dragging');
      this.dragging = false;
      if (moved)
        this.captions.edited(mode === 'move' ? `move cue ${i + 1}` : `cue ${i + 1} ${mode}`);
      else this.video.currentTime = cue.startTime + 0.001;
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up, { once: true });
  }

  movePlayhead(t) {
    this.playhead.style.left = `${t * this.pps}px`;
  }

  /** Where the preview is in the edit (seconds of the edit), or null to hide the mark. */
  moveEditHead(t) {
    const head = $('timeline-edit-head');
    head.hidden = t === null;
    if (t !== null) head.style.left = `${t * this.pps}px`;
  }

  #seekOnRuler() {
    const seek = (e) => {
      const box = this.content.getBoundingClientRect();
      const t = Math.min(this.duration, Math.max(0, (e.clientX - box.left) / this.pps));
      const f = this.fps();
      this.video.currentTime = (Math.floor(t * f) + 0.5) / f;
    };
    this.ruler.addEventListener('pointerdown', (e) => {
      this.ruler.setPointerCapture(e.pointerId);
      seek(e);
      const move = (ev) => seek(ev);
      this.ruler.addEventListener('pointermove', move);
      this.ruler.addEventListener(
        'pointerup',
        () => this.ruler.removeEventListener('pointermove', move),
        { once: true },
      );
    });
  }

  /**
   * The playhead follows every presented frame (requestVideoFrameCallback gives the frame's
   * own media time), and seeks; the view scrolls to keep it in sight while playing.
   */
  #follow() {
    const v = this.video;
    const show = (t) => {
      this.movePlayhead(t);
      const x = t * this.pps - this.scroller.scrollLeft;
      if (!v.paused && (x < 0 || x > this.scroller.clientWidth - 20))
        this.scroller.scrollLeft = t * this.pps - 20;
    };
    if ('requestVideoFrameCallback' in v) {
      const onFrame = (_now, meta) => {
        show(meta.mediaTime);
        v.requestVideoFrameCallback(onFrame);
      };
      v.requestVideoFrameCallback(onFrame);
    } else v.addEventListener('timeupdate', () => show(v.currentTime));
    v.addEventListener('seeked', () => show(v.currentTime));
    addEventListener('resize', () => {
      if (this.pps < this.minPps()) this.fit();
      else this.draw();
    });
  }
}
