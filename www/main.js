// The demo page: a little editor on the real engine. The clip the user opens drives every panel:
// it is probed first, each panel resets to it, and its frame rate is used for the readout,
// stepping, the trim handles and the caption rules. Each capability adds its panel here.
import 'outtake/editor';
import { version, frameAt, probe } from 'outtake';
import { CaptionsPanel } from './captions-panel.js';
import { retimeForEdit } from './edit.js';
import { ExportPanel, download } from './export-panel.js';
import {
  captionsMessage,
  describeClip,
  showAlert,
  undecodableMessage,
  unreadableMessage,
} from './messages.js';
import { Preview } from './preview.js';
import { projectText, readProject } from './project-file.js';
import { RemixPanel } from './remix-panel.js';
import { SyncPanel } from './sync-panel.js';
import { installKeys } from './keys.js';
import { forgetProject, hashBlob, loadProject, saveProject } from './project-store.js';
import { Timeline } from './timeline.js';
import { waveform } from './waveform.js';
import { filmstrip, shots } from './filmstrip.js';
import { TrimPanel, fpsOf } from './trim-panel.js';

const $ = (id) => document.getElementById(id);
const editor = $('editor');
const video = editor.video;

/** The clip on the page: its name, probe's info and frame rate; `generation` counts opens. */
const clip = {
  name: '',
  info: null,
  rate: '30',
  generation: 0,
  url: null,
  blob: null,
  sha256: null,
};

version().then((v) => {
  $('version').textContent = `outtake ${v}`;
});

/** Cameos: other files whose ranges the edit uses, by name: {blob, sha256, url, info}. */
const cameos = new Map();

/**
 * Frees a Blob URL the page no longer shows, a little later: the player may still be reading it
 * (range requests of a video being replaced, or stopped), and a URL revoked under it fails.
 */
const retire = (url) => setTimeout(() => URL.revokeObjectURL(url), 10_000);
const clipAlert = (message, error) => showAlert($('clip-error'), message, error);
const captionsAlert = (message, error) => showAlert($('captions-error'), message, error);

/** The frame rate chosen in the clip panel (the clip's own unless the user picked another). */
const rate = () => $('fps').value;

// The frame readout: which frame is on screen, computed exactly by the engine (29.97 is
// 30000/1001, never 29.97 × t).
async function updateReadout() {
  const t = video.currentTime;
  $('time').textContent = `${t.toFixed(3)} s`;
  try {
    $('frame').textContent = String(await frameAt(t, rate()));
  } catch (e) {
    clipAlert('The frame number could not be worked out.', e);
  }
}
// Every presented frame, when the browser says (requestVideoFrameCallback), else four times a second.
if ('requestVideoFrameCallback' in video) {
  const onFrame = () => {
    updateReadout();
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
} else video.addEventListener('timeupdate', updateReadout);
video.addEventListener('seeked', updateReadout);
$('fps').addEventListener('change', updateReadout);

/** Moves `delta` frames of the clip's rate, landing mid-frame so the decoder shows that one. */
function step(delta) {
  const fps = fpsOf(rate());
  video.pause();
  const frame = Math.floor(video.currentTime * fps + 1e-6);
  const last = Math.max(0, Math.ceil((video.duration || 0) * fps) - 1);
  video.currentTime = (Math.min(last, Math.max(0, frame + delta)) + 0.5) / fps;
}
$('prev').addEventListener('click', () => step(-1));
$('next').addEventListener('click', () => step(1));

/** Puts the clip's own rate first in the rate menu, chosen. */
function showRate(track) {
  const select = $('fps');
  for (const o of [...select.options]) if (o.dataset.clip) o.remove();
  $('fps-note').textContent = '';
  const r = track?.frameRate;
  if (!r) return;
  let option = [...select.options].find((o) => o.value === r.nominal);
  if (!option) {
    option = new Option(String(Number(r.nominalFps.toFixed(3))), r.nominal);
    option.dataset.clip = '1';
    select.prepend(option);
  }
  select.value = r.nominal;
  $('fps-note').textContent = r.variable
    ? `variable: ≈${r.average.toFixed(2)} fps on average`
    : 'from the clip';
}

// Every edit is a commit on the remix chain: the chain is the undo history.
const commit = (what) => remix.commit(what);
const trimPanel = new TrimPanel({
  video,
  onEdit: (what) => {
    const [a, b] = trimPanel.range;
    commit(`${what}: frames ${a}–${b}`);
  },
  onMoved: () => timeline?.drawTrim(),
});

const captions = new CaptionsPanel({
  editor,
  frameRate: rate,
  onError: (e) => captionsAlert(e && `The caption rules could not run: ${e.message}`, e),
  onEdit: commit,
  onChanged: () => timeline?.drawCues(),
});

const timeline = new Timeline({
  video,
  fps: () => fpsOf(rate()),
  captions,
  trim: () => (trimPanel.info ? trimPanel.range.map((k) => trimPanel.timeOf(k)) : null),
  edit: () => remix,
});
$('fps').addEventListener('change', () => {
  captions.lint();
  const { blob, info, name } = trimPanel;
  if (info) trimPanel.load({ blob, info, name, rate: rate() });
  timeline.draw();
});

// Sync to speech: the loaded clip's own Blob; the synced captions are one edit on the chain, so
// Ctrl+Z undoes them as it undoes any other.
const sync = new SyncPanel({
  mount: document.querySelector('#captions-panel .row'),
  captions: () => captions.captions,
  setCaptions: (c) => {
    captions.captions = c;
    captions.edited('sync to speech');
  },
  // The clip as opened (null until one is read): what the user sees is what is synced.
  clip: () => (clip.info ? clip.blob : null),
  onError: (e) => captionsAlert(e && `Sync to speech failed: ${e.message}`, e),
});

async function loadCaptions(text, name) {
  try {
    await captions.load(text, name);
    $('captions-name').textContent = name;
    captionsAlert(null);
    commit(`load captions ${name}`);
  } catch (e) {
    captionsAlert(captionsMessage(name, e), e);
  }
}

const remix = new RemixPanel({
  editor,
  captions: () => captions.captions,
  onError: (e) => showAlert($('remix-error'), e && 'The remix could not be made.', e),
  snapshot: () => ({ cues: captions.snapshot(), trim: trimPanel.info ? trimPanel.range : null }),
  restore: (state) => {
    if (state.cues) captions.restore(state.cues);
    if (state.trim && trimPanel.info) trimPanel.range = state.trim;
  },
  onChange: () => {
    keep();
    timeline.draw();
    exportReady();
  },
  playingSource: () => preview?.source ?? clip.name,
});
remix.onDraw = () => timeline.drawClips();

/** The edit as it stands, for the preview and the export: segments, sources, captions. */
async function currentEdit() {
  const segments = remix.segments();
  const captionsOut = await retimeForEdit(captions.captions, segments, clip.name, rate());
  const sources = { [clip.name]: clip.blob };
  for (const [name, c] of cameos) sources[name] = c.blob;
  return {
    segments,
    sources,
    captions: captionsOut,
    cues: captionsOut.cues,
    // The captions in the clip's own time, for render's soft track (its captionsSource: main).
    sourceCaptions: captions.captions,
    main: clip.name,
    fps: fpsOf(rate()),
    rate: rate(),
    base: clip.name.replace(/\.[^.]*$/, ''),
    urlOf: (src) => (src === clip.name ? clip.url : cameos.get(src)?.url),
    timeline: remix.head ? (await remix.chain.get(remix.head)).timeline : null,
  };
}

const preview = new Preview({
  editor,
  edit: currentEdit,
  onStop: (src) => {
    if (src !== clip.name && clip.url) editor.setAttribute('src', clip.url);
    captions.changed({ rerender: false });
  },
  onError: (e) => showAlert($('export-error'), 'The edit could not be played.', e),
  onTime: (t) => timeline.moveEditHead(t),
});

const exportPanel = new ExportPanel({ edit: currentEdit });
/** Export is on once a clip is open and the edit has a clip. */
function exportReady() {
  const ready = !!clip.info && remix.clips.length > 0 && !!remix.head;
  exportPanel.update(ready);
  $('preview-play').disabled = !ready;
  $('project-save').disabled = !ready;
}

// A cameo: a second file whose frames join the edit (after the selected clip).
$('cameo-add').addEventListener('click', () => $('cameo-pick').click());
$('cameo-pick').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  e.target.value = '';
  if (file) await addCameo(file, file.name);
});

/** Registers `blob` as cameo source `name` (probed first); returns its entry or null. */
async function registerCameo(blob, name, sha256) {
  let info;
  try {
    info = await probe(blob);
  } catch (e) {
    showAlert($('remix-error'), unreadableMessage(name, e, ''), e);
    return null;
  }
  if (!info.tracks.some((t) => t.kind === 'video')) {
    showAlert($('remix-error'), `${name} has no video: a cameo is a piece of another video.`);
    return null;
  }
  const old = cameos.get(name);
  if (old) retire(old.url);
  const entry = {
    blob,
    info,
    sha256: sha256 ?? (await hashBlob(blob)),
    url: URL.createObjectURL(blob),
  };
  cameos.set(name, entry);
  return entry;
}

async function addCameo(blob, name) {
  if (!clip.info) return;
  if (name === clip.name) name = `cameo-${name}`;
  const entry = await registerCameo(blob, name);
  if (!entry) return;
  showAlert($('remix-error'), null);
  // As long as its picture and its sound both last: a segment needs sound to its end.
  const spans = entry.info.tracks
    .filter((t) => t.kind === 'video' || t.kind === 'audio')
    .map((t) => t.duration);
  await remix.addCameo(name, Math.floor(Math.min(...spans) * remix.rate + 1e-6));
}

// The project as a file: saved with the sources' names and hashes, opened by re-linking them.
$('project-save').addEventListener('click', async () => {
  clip.sha256 ??= await hashBlob(clip.blob);
  const sources = [
    { role: 'clip', name: clip.name, sha256: clip.sha256, size: clip.blob.size },
    ...[...cameos].map(([name, c]) => ({
      role: 'cameo',
      name,
      sha256: c.sha256,
      size: c.blob.size,
    })),
  ];
  const text = projectText({
    name: clip.name,
    rate: rate(),
    captionsName: $('captions-name').textContent,
    history: remix.history,
    sources,
  });
  download(
    new Blob([text], { type: 'application/json' }),
    `${clip.name.replace(/\.[^.]*$/, '')}.outtake.json`,
  );
});
$('project-open').addEventListener('click', () => $('project-pick').click());
$('project-pick').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  e.target.value = '';
  if (!file) return;
  try {
    pending = readProject(await file.text(), file.name);
  } catch (err) {
    showAlert($('remix-error'), err.message);
    return;
  }
  showAlert($('remix-error'), null);
  // The clip on the page may be the project's own: re-linked at once.
  await relink(clip.blob ? [{ blob: clip.blob, name: clip.name }] : []);
});
$('relink-pick').addEventListener('change', async (e) => {
  const files = [...e.target.files].map((f) => ({ blob: f, name: f.name }));
  e.target.value = '';
  await relink(files);
});
$('relink-button').addEventListener('click', () => $('relink-pick').click());

/** A project file opened and waiting for its sources. */
let pending = null;

/**
 * Matches `files` ({blob, name}) to the pending project's sources by SHA-256 (whatever their
 * names now); when the clip is found the project opens on it, cameos found so far joining it.
 */
async function relink(files) {
  if (!pending) return;
  for (const f of files) {
    const sha = await hashBlob(f.blob);
    const want = pending.sources.find((s) => s.sha256 === sha && !s.blob);
    if (want) want.blob = f.blob;
  }
  const missing = pending.sources.filter((s) => !s.blob);
  const main = pending.sources.find((s) => s.role === 'clip');
  if (main?.blob) {
    const p = pending;
    pending = null;
    $('relink').hidden = true;
    for (const s of p.sources.filter((s) => s.role === 'cameo' && s.blob))
      await registerCameo(s.blob, s.name, s.sha256);
    await openVideo(
      main.blob,
      main.name,
      null,
      { history: p.history, captionsName: p.captionsName },
      true,
    );
    if (missing.length) {
      $('relink-text').textContent =
        `Still missing: ${missing.map((s) => s.name).join(', ')}. Open ${missing.length === 1 ? 'it' : 'them'} to play and export the cameos.`;
      pending = { ...p, sources: missing.map((s) => ({ ...s, role: 'cameo' })), opened: true };
      $('relink').hidden = false;
    }
    return;
  }
  if (pending.opened) {
    // Cameos found after the clip: registered as they come.
    for (const s of pending.sources.filter((s) => s.blob))
      await registerCameo(s.blob, s.name, s.sha256);
    pending.sources = missing;
    keep();
    if (!missing.length) {
      pending = null;
      $('relink').hidden = true;
      return;
    }
  }
  $('relink-text').textContent =
    `Project ${pending.name}: open ${missing.map((s) => s.name).join(', ')} to re-link ${missing.length === 1 ? 'it' : 'them'} (found by content, whatever the file is called now).`;
  $('relink').hidden = false;
}

// The project is kept in IndexedDB once it holds an edit (an untouched clip is not worth it).
let keepTimer = 0;
function keep() {
  clearTimeout(keepTimer);
  keepTimer = setTimeout(async () => {
    if (!clip.info || remix.chain.nodes.length < 2) return;
    try {
      clip.sha256 ??= await hashBlob(clip.blob);
      await saveProject({
        name: clip.name,
        blob: clip.blob,
        sha256: clip.sha256,
        captionsName: $('captions-name').textContent,
        history: remix.history,
        cameos: [...cameos].map(([name, c]) => ({ name, blob: c.blob, sha256: c.sha256 })),
        nodes: remix.chain.nodes.length,
        savedAt: Date.now(),
      });
      $('resume').hidden = true;
      document.body.dataset.kept = String(remix.chain.nodes.length);
    } catch (e) {
      showAlert($('remix-error'), 'The project could not be kept for the next visit.', e);
    }
  }, 300);
}

installKeys({
  video,
  fps: () => fpsOf(rate()),
  actions: {
    setIn: () => {
      trimPanel.setToPlayhead('in');
      trimPanel.onEdit('in-point');
    },
    setOut: () => {
      trimPanel.setToPlayhead('out');
      trimPanel.onEdit('out-point');
    },
    split: () => remix.split(),
    deleteFocused: (target) => {
      const cue = target.closest?.('#cue-list .cue');
      if (cue) {
        captions.remove(Number(cue.dataset.index));
        return true;
      }
      if (!remix.selected) return false;
      remix.remove();
      return true;
    },
    undo: () => remix.undo(),
    redo: () => remix.redo(),
  },
});

/** Whether the <video> can play `url`: resolves true on metadata, false on an error. */
function playable(url) {
  return new Promise((resolve) => {
    const done = (ok) => {
      video.removeEventListener('loadedmetadata', yes);
      video.removeEventListener('error', no);
      resolve(ok);
    };
    const yes = () => done(true);
    const no = () => done(false);
    video.addEventListener('loadedmetadata', yes);
    video.addEventListener('error', no);
    editor.setAttribute('src', url);
  });
}

/**
 * Opens a video: probes it, then resets every panel to it. A file that is not a video outtake
 * reads, or one this browser cannot play, is told in the clip panel; trim still takes what it
 * can cut. `withCaptions` ({text, name}) are loaded before the chain's first commit, so that it
 * holds them; `history` (a kept project's) picks up its chain instead of starting one. Resolves
 * when the page has settled on the clip.
 */
async function openVideo(blob, name, withCaptions, history, keepCameos = false) {
  const generation = ++clip.generation;
  preview.stop();
  if (!keepCameos) {
    for (const c of cameos.values()) retire(c.url);
    cameos.clear();
  }
  const current = () => generation === clip.generation;
  Object.assign(clip, { name, info: null, blob, sha256: null });
  $('clip-name').textContent = name;
  $('clip-info').textContent = '–';
  $('time').textContent = '–';
  $('frame').textContent = '–';
  showRate(null);
  clipAlert(null);
  // Nothing of the previous clip stays: captions (and the one on screen), plan, chain.
  captions.reset();
  captions.shotChanges = [];
  sync.reset();
  $('captions-name').textContent = '–';
  captionsAlert(null);
  trimPanel.clear();
  remix.clear();
  exportReady();
  timeline.load({ duration: 0 });
  if (clip.url) retire(clip.url);
  clip.url = URL.createObjectURL(blob);

  let info;
  try {
    info = await probe(blob);
  } catch (e) {
    if (!current()) return;
    editor.removeAttribute('src');
    video.removeAttribute('src');
    video.load();
    timeline.movePlayhead(0);
    const head = await blob
      .slice(0, 64)
      .text()
      .catch(() => '');
    clipAlert(unreadableMessage(name, e, head), e);
    document.body.dataset.clip = 'unreadable';
    return;
  }
  if (!current()) return;
  clip.info = info;
  $('clip-info').textContent = describeClip(info);
  const track = info.tracks.find((t) => t.kind === 'video');
  showRate(track);
  // Metadata alone is not enough: a video track the browser cannot decode still loads (its
  // audio plays) with no picture, videoWidth 0.
  const ok = (await playable(clip.url)) && (!track || video.videoWidth > 0);
  if (!current()) return;
  if (!ok) {
    const code = video.error?.code;
    clipAlert(
      undecodableMessage(name, info) ??
        `${name}: this browser cannot play this file (${describeClip(info)}); trim can still cut it.`,
      {
        code: 'ERR_MEDIA_PLAYBACK',
        message: code
          ? `HTMLMediaElement error ${code}: ${video.error?.message || 'no detail'}`
          : `the video track does not decode here (videoWidth 0, ${track?.codec})`,
      },
    );
  }
  trimPanel.load({ blob, info, rate: rate(), name });
  timeline.load({ duration: info.duration, keyframes: track?.keyframes ?? [] });
  if (info.tracks.some((t) => t.kind === 'audio' && t.decodable))
    waveform(blob).then((w) => current() && w && timeline.setWave(w));
  if (ok && track) pictures(blob, info.duration, current);
  if (withCaptions) await loadCaptions(withCaptions.text, withCaptions.name);
  if (!current()) return;
  if (history) {
    await remix.resume(history.history, { media: name, rate: fpsOf(rate()) });
    $('captions-name').textContent = history.captionsName;
    captions.name = history.captionsName.replace(/\.[^.]*$/, '');
  } else await remix.reset({ media: name, rate: fpsOf(rate()), duration: info.duration });
  updateReadout();
  exportReady();
  timeline.draw();
  document.body.dataset.clip = ok ? 'ready' : 'unplayable';
}

/**
 * The clip's filmstrip and shot changes, found in the worker after it opens: lanes of the
 * timeline, and the shot changes the caption rules check. A clip opened meanwhile wins.
 */
async function pictures(blob, duration, current) {
  const film = await filmstrip(blob, duration, $('timeline-scroll').clientWidth).catch(() => null);
  if (!current()) return;
  if (film) timeline.setFilm(film);
  const cuts = await shots(blob);
  if (!current()) return;
  timeline.setLane(
    'shots',
    cuts.map((t) => ({ t, title: `shot change at ${t.toFixed(3)} s` })),
  );
  document.body.dataset.shots = String(cuts.length);
  captions.shotChanges = cuts;
  if (cuts.length) captions.lint();
}

// Files in: a video replaces the clip (and everything made on it), a caption file the captions.
async function takeFiles(files) {
  for (const file of files) {
    if (/\.(vtt|srt)$/i.test(file.name) || file.type === 'text/vtt') {
      await loadCaptions(await file.text(), file.name);
    } else {
      await openVideo(file, file.name);
    }
  }
}
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  takeFiles(e.dataTransfer.files);
});
$('pick').addEventListener('change', (e) => takeFiles(e.target.files));
$('pick-button').addEventListener('click', () => $('pick').click());
$('undo').addEventListener('click', () => remix.undo());
$('redo').addEventListener('click', () => remix.redo());

async function openSample() {
  await captions.init();
  const [mp4, vtt] = await Promise.all(
    ['assets/sample.mp4', 'assets/sample.vtt'].map((u) => fetch(u)),
  );
  await openVideo(await mp4.blob(), 'sample.mp4', { text: await vtt.text(), name: 'sample.vtt' });
}
openSample().catch((e) => clipAlert('The sample clip could not be loaded.', e));

// A project kept from a visit before: offered, not forced.
loadProject()
  .then((saved) => {
    if (!saved) return;
    const when = new Date(saved.savedAt).toLocaleString();
    $('resume-text').textContent =
      `Your last project: ${saved.name}, ${saved.nodes - 1} edit${saved.nodes === 2 ? '' : 's'}, kept ${when}.`;
    $('resume').hidden = false;
    $('resume-open').onclick = async () => {
      $('resume').hidden = true;
      for (const c of saved.cameos ?? []) await registerCameo(c.blob, c.name, c.sha256);
      openVideo(saved.blob, saved.name, null, saved, true);
    };
    $('resume-forget').onclick = () => {
      $('resume').hidden = true;
      forgetProject();
    };
  })
  .catch(() => {});
