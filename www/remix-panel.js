// The remix chain panel: a tiny editor over the loaded clip (one track of clips cut from it, plus
// the captions as a caption track). Every edit of the page (clips, captions, trim points) is a
// node of a RemixChain, so the chain is the undo history: undo moves the head to the parent and
// puts its state back, redo walks forward again. Any two nodes diff on two strips, with blame on
// hover. Timelines are plain OTIO objects built here; the page's own state rides in metadata.
import { RemixChain, diffTimelines, exportOtio } from 'outtake';
import { retimeForEdit } from './edit.js';

const $ = (id) => document.getElementById(id);
// The loaded clip: its file name and frame rate (clip boundaries are whole frames of it), set by
// `RemixPanel.reset` for every clip opened.
const source = { rate: 30, media: '' };
const CHANGE_CLASS = {
  insert: 'added',
  remove: 'removed',
  move: 'moved',
  trim_head: 'trimmed',
  trim_tail: 'trimmed',
  slip: 'trimmed',
};

const rt = (value) => ({ OTIO_SCHEMA: 'RationalTime.1', rate: source.rate, value });
const range = (start, duration) => ({
  OTIO_SCHEMA: 'TimeRange.1',
  start_time: rt(start),
  duration: rt(duration),
});
const item = (schema, name, extra) => ({
  OTIO_SCHEMA: schema,
  name,
  metadata: {},
  source_range: null,
  effects: [],
  markers: [],
  enabled: true,
  ...extra,
});

function clipObject(c) {
  const src = c.src ?? source.media;
  const cameo = src !== source.media;
  return item('Clip.2', `${cameo ? 'cameo' : 'shot'} ${c.uid}`, {
    metadata: { outtake: { uid: c.uid, src } },
    source_range: range(c.start, c.end - c.start),
    media_references: {
      DEFAULT_MEDIA: {
        OTIO_SCHEMA: 'ExternalReference.1',
        name: '',
        target_url: src,
        available_range: null,
        metadata: {},
      },
    },
    active_media_reference_key: 'DEFAULT_MEDIA',
  });
}

/**
 * The timeline of `clips`, with `cues` (output time) as a caption track (see caption_diff.rs),
 * and `state` (what undo puts back) in its metadata.
 */
function timelineObject(clips, cues, state = {}) {
  const video = item('Track.1', 'V1', { kind: 'Video', children: clips.map(clipObject) });
  const markers = cues.map((c) => ({
    OTIO_SCHEMA: 'Marker.2',
    name: c.text,
    color: 'YELLOW',
    comment: '',
    metadata: {},
    marked_range: range(c.startTime * source.rate, (c.endTime - c.startTime) * source.rate),
  }));
  const captions = item('Track.1', 'Captions', {
    kind: 'Video',
    metadata: { outtake: { kind: 'captions' } },
    markers,
    children: [],
  });
  return {
    OTIO_SCHEMA: 'Timeline.1',
    name: `${source.media} remix`,
    metadata: { outtake: { state } },
    global_start_time: null,
    tracks: item('Stack.1', 'tracks', { children: clips.length ? [video, captions] : [captions] }),
  };
}

const short = (id) => id.slice(0, 8);

export class RemixPanel {
  /**
   * `captions()` gives the caption panel's captions; `snapshot()` the page state a commit keeps
   * ({cues, trim}) and `restore(state)` puts one back (undo, redo).
   */
  constructor({ editor, captions, onError, snapshot, restore, onChange, playingSource }) {
    this.video = editor.video;
    Object.assign(this, { captions, onError, snapshot, restore, onChange, playingSource });
    this.blames = new Map();
    this.redoStack = [];
    this.queue = Promise.resolve();
    // Counts clips opened: a commit queued for one clip never lands on the next one's chain.
    this.epoch = 0;
    this.chain = new RemixChain();
    this.clips = [];
    this.nextUid = 1;
    this.selected = null;
    this.head = null;
    this.pick = { a: null, b: null };
    $('remix-split').addEventListener('click', () => this.split());
    $('remix-delete').addEventListener('click', () => this.remove());
    $('remix-left').addEventListener('click', () => this.move(-1));
    $('remix-right').addEventListener('click', () => this.move(1));
    $('remix-otio').addEventListener('click', () => this.downloadOtio());
    $('remix-commit').addEventListener('click', () =>
      this.commit($('remix-message').value || 'version'),
    );
  }

  /**
   * Starts a new chain on a clip (`media` its name, `rate` its frame rate in frames per second,
   * `duration` seconds): one clip of the whole, committed as the root. Nothing of the previous
   * clip's chain stays.
   */
  async reset({ media, rate, duration }) {
    this.epoch++;
    Object.assign(source, { media, rate });
    this.chain = new RemixChain();
    this.head = null;
    this.redoStack = [];
    this.selected = null;
    this.pick = { a: null, b: null };
    this.nextUid = 1;
    this.clips = [
      { uid: `c${this.nextUid++}`, src: media, start: 0, end: Math.round(duration * rate) },
    ];
    await this.commit('original');
  }

  /**
   * Picks up a kept history ({chain, head, redo} from `history`) on the same clip: the chain is
   * read back (every hash checked) and the head's state put back.
   */
  async resume(history, { media, rate }) {
    this.epoch++;
    Object.assign(source, { media, rate });
    this.chain = await RemixChain.fromJSON(history.chain);
    this.head = null;
    this.redoStack = [...history.redo];
    await this.#checkout(history.head, `resumed at “${this.#message(history.head)}”`);
  }

  /** What `resume` takes: the chain's text, its head and what redo can walk to. */
  get history() {
    return { chain: this.chain.toJSON(), head: this.head, redo: [...this.redoStack] };
  }

  #message(id) {
    return this.chain.nodes.find((n) => n.id === id)?.message ?? '';
  }

  /** No clip: an empty chain and empty strips. */
  clear() {
    this.epoch++;
    source.media = '';
    this.chain = new RemixChain();
    this.head = null;
    this.redoStack = [];
    this.clips = [];
    this.pick = { a: null, b: null };
    for (const id of [
      'remix-current',
      'remix-strip-a',
      'remix-strip-b',
      'remix-summary',
      'remix-words',
    ])
      $(id).replaceChildren();
    $('remix-nodes').tBodies[0].replaceChildren();
    this.status('');
  }

  /**
   * The clip the playhead is in: the selected one if it holds the frame on screen, else the
   * first of the loaded source that does (a range can be used twice).
   */
  uidAtPlayhead() {
    const f = Math.floor(this.video.currentTime * source.rate + 1e-6);
    const src = this.playingSource?.() ?? source.media;
    const inside = (c) => (c.src ?? source.media) === src && c.start < f && f < c.end;
    const chosen = this.clips.find((c) => c.uid === this.selected);
    return chosen && inside(chosen) ? chosen : this.clips.find(inside);
  }

  split() {
    const c = this.uidAtPlayhead();
    if (!c) return this.status('the playhead is not inside a clip (or is on a cut)');
    const f = Math.floor(this.video.currentTime * source.rate + 1e-6);
    const right = { uid: `c${this.nextUid++}`, src: c.src, start: f, end: c.end };
    c.end = f;
    this.clips.splice(this.clips.indexOf(c) + 1, 0, right);
    this.selected = right.uid;
    this.drawCurrent();
    this.commit(`split shot ${c.uid} at ${(f / source.rate).toFixed(3)} s`);
  }

  remove() {
    const i = this.clips.findIndex((c) => c.uid === this.selected);
    if (i < 0) return this.status('select a clip first');
    const [gone] = this.clips.splice(i, 1);
    this.selected = null;
    this.drawCurrent();
    this.commit(`delete shot ${gone.uid}`);
  }

  move(delta) {
    const i = this.clips.findIndex((c) => c.uid === this.selected);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= this.clips.length)
      return this.status(i < 0 ? 'select a clip first' : 'cannot move further');
    [this.clips[i], this.clips[j]] = [this.clips[j], this.clips[i]];
    this.drawCurrent();
    this.commit(`move shot ${this.clips[j].uid} ${delta < 0 ? 'left' : 'right'}`);
  }

  /** Moves clip `uid` to position `to` (0-based) of the edit: a drag on the timeline. */
  moveTo(uid, to) {
    const i = this.clips.findIndex((c) => c.uid === uid);
    const j = Math.max(0, Math.min(this.clips.length - 1, to));
    if (i < 0 || i === j) return;
    const [c] = this.clips.splice(i, 1);
    this.clips.splice(j, 0, c);
    this.selected = uid;
    this.drawCurrent();
    this.commit(`move shot ${uid} to position ${j + 1}`);
  }

  /**
   * Adds `frames` frames of another file (`src` its name) as a cameo after the selected clip
   * (at the end when none is selected). Resolves when committed.
   */
  addCameo(src, frames) {
    const i = this.clips.findIndex((c) => c.uid === this.selected);
    const c = { uid: `c${this.nextUid++}`, src, start: 0, end: Math.max(1, frames) };
    this.clips.splice(i < 0 ? this.clips.length : i + 1, 0, c);
    this.selected = c.uid;
    this.drawCurrent();
    return this.commit(`add cameo ${c.uid} from ${src}`);
  }

  /** The edit as render and preview take it: [{src, start, end}] in seconds of each source. */
  segments() {
    return this.clips.map((c) => ({
      src: c.src ?? source.media,
      start: c.start / source.rate,
      end: c.end / source.rate,
    }));
  }

  /** The name of the clip opened: the source of every clip that is not a cameo. */
  get media() {
    return source.media;
  }

  /** The clip rate the clips' frames count (frames per second). */
  get rate() {
    return source.rate;
  }

  /** Which node last changed clip `uid` and which made it: {introduced, changed} messages. */
  blameOf(uid) {
    return this.blames?.get(uid) ?? null;
  }

  /** The current timeline: clips, and the caption panel's cues re-timed through them. */
  async timeline() {
    const cues = this.clips.length
      ? (await retimeForEdit(this.captions(), this.segments(), source.media, source.rate)).cues
      : [];
    return timelineObject(this.clips, cues, this.snapshot?.() ?? {});
  }

  /**
   * Commits the page as it is now as a child of the head, `message` naming the edit; commits run
   * one after another. A new edit ends what redo could walk to. Resolves to the node's id.
   */
  commit(message) {
    const epoch = this.epoch;
    return this.#then(() => (epoch === this.epoch ? this.#commit(message) : undefined));
  }

  async #commit(message) {
    if (!source.media) return;
    try {
      const id = await this.chain.add({
        parents: this.head ? [this.head] : [],
        author: 'demo',
        message,
        timeline: await this.timeline(),
      });
      this.pick = { a: this.head ?? id, b: id };
      this.head = id;
      this.redoStack = [];
      $('remix-message').value = '';
      this.status(`committed ${short(id)}`);
      await this.#blame();
      this.onChange?.();
      this.drawCurrent();
      this.drawNodes();
      await this.drawDiff();
    } catch (e) {
      this.onError(e);
    }
  }

  /** The edit as it stands (the head's timeline) as an OpenTimelineIO file. */
  async downloadOtio() {
    if (!this.head) return this.status('open a clip first');
    try {
      const { timeline } = await this.chain.get(this.head);
      const text = await exportOtio(timeline);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      a.download = `${source.media.replace(/\.[^.]*$/, '')}-edit.otio`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
    } catch (e) {
      this.onError(e);
    }
  }

  /** Undo: the head moves to its parent and the page goes back to that node's state. */
  undo() {
    return this.#then(async () => {
      const node = this.chain.nodes.find((n) => n.id === this.head);
      if (!node?.parents.length) return this.status('nothing to undo');
      this.redoStack.push(this.head);
      await this.#checkout(node.parents[0], `undid “${node.message}”`);
    });
  }

  /** Runs `step` after every commit, undo and redo queued before it. */
  #then(step) {
    const done = this.queue.then(step);
    this.queue = done.catch(() => {});
    return done;
  }

  /** Redo: back to the node undo left. */
  redo() {
    return this.#then(async () => {
      const id = this.redoStack.pop();
      if (!id) return this.status('nothing to redo');
      const node = this.chain.nodes.find((n) => n.id === id);
      await this.#checkout(id, `redid “${node.message}”`);
    });
  }

  /** Makes node `id` the head and puts its clips and page state back. */
  async #checkout(id, what) {
    try {
      const { timeline } = await this.chain.get(id);
      const track = timeline.tracks.children.find((t) => t.name === 'V1');
      this.clips = (track?.children ?? []).map((c) => {
        const start = c.source_range.start_time.value;
        const src = c.metadata.outtake.src ?? c.media_references.DEFAULT_MEDIA.target_url;
        const end = start + c.source_range.duration.value;
        return { uid: c.metadata.outtake.uid, src, start, end };
      });
      // New clips get uids no clip of this state has.
      for (const c of this.clips)
        this.nextUid = Math.max(this.nextUid, Number(c.uid.slice(1)) + 1 || 0);
      this.pick = { a: this.head ?? id, b: id };
      this.head = id;
      this.restore?.(timeline.metadata?.outtake?.state ?? {});
      await this.#blame();
      this.onChange?.();
      this.status(what);
      this.drawCurrent();
      this.drawNodes();
      await this.drawDiff();
    } catch (e) {
      this.onError(e);
    }
  }

  /** Blame of the head: which node made and which last changed each clip, by uid. */
  async #blame() {
    const b = await this.chain.blame(this.head);
    const messages = new Map(this.chain.nodes.map((n) => [n.id, n.message]));
    const items = b.tracks.find((t) => t.kind === 'Video' && t.name === 'V1')?.items ?? [];
    this.blames = new Map();
    items.forEach((it, i) => {
      const c = this.clips[i];
      if (!c || !it.origin) return;
      const who = (id) => ({ id, message: messages.get(id) ?? '?' });
      this.blames.set(c.uid, {
        introduced: who(it.origin.introduced),
        changed: who(it.origin.changed),
      });
    });
  }

  status(text) {
    $('remix-status').textContent = text;
  }

  /** Selects clip `uid`; the player shows its first frame when it is of the loaded source. */
  select(uid) {
    const c = this.clips.find((c) => c.uid === uid);
    if (!c) return;
    this.selected = uid;
    if ((c.src ?? source.media) === (this.playingSource?.() ?? source.media))
      this.video.currentTime = (c.start + 0.5) / source.rate;
    this.drawCurrent();
  }

  drawCurrent() {
    this.onDraw?.();
    $('remix-current').replaceChildren(
      ...this.clips.map((c) => {
        const cameo = (c.src ?? source.media) !== source.media;
        const el = block(`${cameo ? 'cameo' : 'shot'} ${c.uid}`, c.end - c.start, c.uid);
        el.classList.toggle('selected', c.uid === this.selected);
        el.tabIndex = 0;
        el.setAttribute('role', 'button');
        el.setAttribute('aria-pressed', String(c.uid === this.selected));
        el.setAttribute('aria-label', `select shot ${c.uid}`);
        const select = () => {
          this.select(c.uid);
          $('remix-current').querySelector(`[data-uid="${c.uid}"]`)?.focus();
        };
        el.addEventListener('click', select);
        el.addEventListener('keydown', (e) => {
          if (e.key !== 'Enter' && e.key !== ' ') return;
          e.preventDefault();
          select();
        });
        return el;
      }),
    );
  }

  drawNodes() {
    const rows = this.chain.nodes.map((n) => {
      const tr = document.createElement('tr');
      tr.dataset.id = n.id;
      tr.classList.toggle('head', n.id === this.head);
      tr.classList.toggle('undone', this.redoStack.includes(n.id));
      tr.innerHTML =
        '<td><input type="radio" name="remix-a"></td><td><input type="radio" name="remix-b"></td><td class="id"></td><td class="msg"></td>';
      tr.querySelector('.id').textContent = short(n.id);
      tr.querySelector('.msg').textContent = n.message;
      for (const side of ['a', 'b']) {
        const input = tr.querySelector(`[name=remix-${side}]`);
        input.setAttribute(
          'aria-label',
          `compare ${side.toUpperCase()}: “${n.message}” (${short(n.id)})`,
        );
        input.checked = this.pick[side] === n.id;
        input.addEventListener('change', () => {
          this.pick[side] = n.id;
          this.drawDiff().catch(this.onError);
        });
      }
      return tr;
    });
    $('remix-nodes').tBodies[0].replaceChildren(...rows);
  }

  /** Nodes A and B on two strips, coloured by what the diff says, with blame in tooltips. */
  async drawDiff() {
    const { a, b } = this.pick;
    if (!a || !b) return;
    const [na, nb] = [await this.chain.get(a), await this.chain.get(b)];
    const { changes } = await diffTimelines(na.timeline, nb.timeline);
    const [ba, bb] = [await this.chain.blame(a), await this.chain.blame(b)];
    const messages = new Map(this.chain.nodes.map((n) => [n.id, n.message]));
    const classesA = new Map();
    const classesB = new Map();
    for (const c of changes.filter((c) => c.target === 'clip' && CHANGE_CLASS[c.kind])) {
      const uid = c.id.replace(/^\+?uid:/, '');
      if (c.kind !== 'insert') classesA.set(uid, CHANGE_CLASS[c.kind]);
      if (c.kind !== 'remove') classesB.set(uid, CHANGE_CLASS[c.kind]);
    }
    drawStrip($('remix-strip-a'), na, classesA, ba, messages);
    drawStrip($('remix-strip-b'), nb, classesB, bb, messages);
    $('remix-diff').dataset.pair = `${short(a)}..${short(b)}`;
    const li = (c) =>
      Object.assign(document.createElement('li'), {
        textContent: c.summary,
        className: `change-${c.kind}`,
      });
    $('remix-summary').replaceChildren(...changes.filter((c) => c.target !== 'caption').map(li));
    $('remix-words').replaceChildren(...changes.filter((c) => c.target === 'caption').map(li));
    if (!changes.length)
      $('remix-summary').replaceChildren(
        Object.assign(document.createElement('li'), { textContent: 'no changes' }),
      );
  }
}

function block(label, frames, uid) {
  const el = document.createElement('div');
  el.className = 'clip';
  el.dataset.uid = uid;
  el.style.flexGrow = String(frames);
  el.textContent = label;
  return el;
}

function drawStrip(strip, node, classes, blame, messages) {
  const track = node.timeline.tracks.children.find(
    (t) => t.kind === 'Video' && t.metadata?.outtake?.kind !== 'captions',
  );
  const items = blame.tracks.find((t) => t.kind === 'Video' && t.name === 'V1')?.items ?? [];
  const who = (id) => `“${messages.get(id) ?? '?'}” (${short(id)})`;
  strip.replaceChildren(
    ...(track?.children ?? []).map((c, i) => {
      const uid = c.metadata?.outtake?.uid ?? '';
      const el = block(c.name, c.source_range.duration.value, uid);
      if (classes.has(uid)) el.classList.add(classes.get(uid));
      const origin = items[i]?.origin;
      if (origin) {
        el.dataset.introduced = origin.introduced;
        el.dataset.changed = origin.changed;
        el.title = `introduced by ${who(origin.introduced)}; last changed by ${who(origin.changed)}`;
      }
      return el;
    }),
  );
}
