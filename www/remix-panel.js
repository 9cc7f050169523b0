// The remix chain panel: a tiny editor over the loaded clip (one track of clips cut from it, plus
// the captions as a caption track), each committed remix a node of a RemixChain; any two nodes
// diffed on two strips, with blame on hover. Timelines are plain OTIO objects built here.
import { RemixChain, diffTimelines, flattenTimeline, retimeCaptions } from 'outtake';

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
  return item('Clip.2', `shot ${c.uid}`, {
    metadata: { outtake: { uid: c.uid } },
    source_range: range(c.start, c.end - c.start),
    media_references: {
      DEFAULT_MEDIA: {
        OTIO_SCHEMA: 'ExternalReference.1',
        name: '',
        target_url: source.media,
        available_range: null,
        metadata: {},
      },
    },
    active_media_reference_key: 'DEFAULT_MEDIA',
  });
}

/** The timeline of `clips`, with `cues` (output time) as a caption track (see caption_diff.rs). */
function timelineObject(clips, cues) {
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
    metadata: {},
    global_start_time: null,
    tracks: item('Stack.1', 'tracks', { children: clips.length ? [video, captions] : [captions] }),
  };
}

const short = (id) => id.slice(0, 8);

export class RemixPanel {
  constructor({ editor, captions, onError }) {
    this.video = editor.video;
    this.captions = captions;
    this.onError = onError;
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
    $('remix-commit').addEventListener('click', () =>
      this.commit($('remix-message').value || 'remix'),
    );
  }

  /**
   * Starts a new chain on a clip (`media` its name, `rate` its frame rate in frames per second,
   * `duration` seconds): one clip of the whole, committed as the root. Nothing of the previous
   * clip's chain stays.
   */
  async reset({ media, rate, duration }) {
    Object.assign(source, { media, rate });
    this.chain = new RemixChain();
    this.head = null;
    this.selected = null;
    this.pick = { a: null, b: null };
    this.clips = [{ uid: `c${this.nextUid++}`, start: 0, end: Math.round(duration * rate) }];
    await this.commit('original');
  }

  /** No clip: an empty chain and empty strips. */
  clear() {
    this.chain = new RemixChain();
    this.head = null;
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

  uidAtPlayhead() {
    const f = Math.round(this.video.currentTime * source.rate);
    return this.clips.find((c) => c.start < f && f < c.end);
  }

  split() {
    const c = this.uidAtPlayhead();
    if (!c) return this.status('the playhead is not inside a clip (or is on a cut)');
    const f = Math.round(this.video.currentTime * source.rate);
    const right = { uid: `c${this.nextUid++}`, start: f, end: c.end };
    c.end = f;
    this.clips.splice(this.clips.indexOf(c) + 1, 0, right);
    this.selected = right.uid;
    this.drawCurrent();
  }

  remove() {
    const i = this.clips.findIndex((c) => c.uid === this.selected);
    if (i < 0) return this.status('select a clip first');
    this.clips.splice(i, 1);
    this.selected = null;
    this.drawCurrent();
  }

  move(delta) {
    const i = this.clips.findIndex((c) => c.uid === this.selected);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= this.clips.length)
      return this.status(i < 0 ? 'select a clip first' : 'cannot move further');
    [this.clips[i], this.clips[j]] = [this.clips[j], this.clips[i]];
    this.drawCurrent();
  }

  /** The current timeline: clips, and the caption panel's cues re-timed through them. */
  async timeline() {
    const cutOnly = timelineObject(this.clips, []);
    let cues = [];
    if (this.clips.length) {
      const edits = await flattenTimeline(cutOnly);
      cues = (await retimeCaptions(this.captions(), edits)).captions.cues;
    }
    return timelineObject(this.clips, cues);
  }

  async commit(message) {
    try {
      const id = await this.chain.add({
        parents: this.head ? [this.head] : [],
        author: 'demo',
        message,
        timeline: await this.timeline(),
      });
      this.pick = { a: this.head ?? id, b: id };
      this.head = id;
      $('remix-message').value = '';
      this.status(`committed ${short(id)}`);
      this.drawCurrent();
      this.drawNodes();
      await this.drawDiff();
    } catch (e) {
      this.onError(e);
    }
  }

  status(text) {
    $('remix-status').textContent = text;
  }

  drawCurrent() {
    $('remix-current').replaceChildren(
      ...this.clips.map((c) => {
        const el = block(`shot ${c.uid}`, c.end - c.start, c.uid);
        el.classList.toggle('selected', c.uid === this.selected);
        el.addEventListener('click', () => {
          this.selected = c.uid;
          this.video.currentTime = (c.start + 0.5) / source.rate;
          this.drawCurrent();
        });
        return el;
      }),
    );
  }

  drawNodes() {
    const rows = this.chain.nodes.map((n) => {
      const tr = document.createElement('tr');
      tr.dataset.id = n.id;
      tr.innerHTML =
        '<td><input type="radio" name="remix-a"></td><td><input type="radio" name="remix-b"></td><td class="id"></td><td class="msg"></td>';
      tr.querySelector('.id').textContent = short(n.id);
      tr.querySelector('.msg').textContent = n.message;
      for (const side of ['a', 'b']) {
        const input = tr.querySelector(`[name=remix-${side}]`);
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
