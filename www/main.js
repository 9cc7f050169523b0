// The demo page: a little editor on the real engine. Each capability adds its panel here.
import 'outtake/editor';
import { version, frameAt, snapTime } from 'outtake';
import { CaptionsPanel } from './captions-panel.js';
import { RemixPanel } from './remix-panel.js';
import { SyncPanel } from './sync-panel.js';
import { TrimPanel } from './trim-panel.js';

const $ = (id) => document.getElementById(id);
const editor = $('editor');
const video = editor.video;

version().then((v) => {
  $('version').textContent = `outtake ${v}`;
});

editor.addEventListener('captionsload', (e) => {
  $('cue-count').textContent = String(e.detail.count);
});
editor.addEventListener('error', (e) => showError(e.detail));

function showError(e) {
  const el = $('clip-error');
  el.textContent = e ? (e.code ? `${e.code}: ${e.message}` : e.message) : '';
  el.hidden = !e;
}

// The frame readout: which frame is on screen, computed exactly by the engine (29.97 is
// 30000/1001, never 29.97 × t).
async function updateReadout() {
  const t = video.currentTime;
  $('time').textContent = `${t.toFixed(3)} s`;
  try {
    $('frame').textContent = String(await frameAt(t, $('fps').value));
  } catch (e) {
    showError(e);
  }
}
video.addEventListener('timeupdate', updateReadout);
video.addEventListener('seeked', updateReadout);
$('fps').addEventListener('change', updateReadout);

async function step(delta) {
  const rate = $('fps').value;
  video.pause();
  const frame = await frameAt(video.currentTime, rate);
  // Land in the middle of the target frame, so the decoder shows exactly that one.
  const start = await snapTime(Math.max(0, (frame + delta) / evalRate(rate)), rate, 'nearest');
  video.currentTime = start + 0.5 / evalRate(rate);
}
const evalRate = (r) =>
  r.includes('/') ? Number(r.split('/')[0]) / Number(r.split('/')[1]) : Number(r);
$('prev').addEventListener('click', () => step(-1));
$('next').addEventListener('click', () => step(1));

const trimPanel = new TrimPanel({
  video,
  source: () => editor.getAttribute('src'),
  name: () => $('clip-name').textContent,
  onError: showError,
});
video.addEventListener('loadedmetadata', () => {
  $('trim-export').disabled = false;
  trimPanel.load();
});
// A file the browser cannot play: say so, and keep Export off, so that the previous clip is not
// exported under the new file's name.
video.addEventListener('error', () => {
  $('trim-export').disabled = true;
  showError({
    message: `${$('clip-name').textContent}: this browser cannot play this file, so it cannot be trimmed here.`,
  });
});

const captions = new CaptionsPanel({ editor, frameRate: () => $('fps').value, onError: showError });
$('fps').addEventListener('change', () => captions.lint());

new SyncPanel({
  mount: document.querySelector('#captions-panel .row'),
  captions: () => captions.captions,
  setCaptions: (c) => {
    captions.captions = c;
    captions.changed({ rerender: true });
  },
  clip: async () => (await fetch(editor.getAttribute('src'))).blob(),
  onError: showError,
});

async function loadCaptions(text, name) {
  try {
    await captions.load(text);
    $('captions-name').textContent = name;
  } catch (e) {
    showError(e);
  }
}

// Files in: a video replaces the clip, a caption file replaces the captions.
async function takeFiles(files) {
  showError(null);
  for (const file of files) {
    const url = URL.createObjectURL(file);
    if (/\.(vtt|srt)$/i.test(file.name) || file.type === 'text/vtt') {
      await loadCaptions(await file.text(), file.name);
    } else {
      editor.setAttribute('src', url);
      $('clip-name').textContent = file.name;
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

updateReadout();
const remix = new RemixPanel({ editor, captions: () => captions.captions, onError: showError });
captions
  .init()
  .then(() => fetch('assets/sample.vtt'))
  .then((r) => r.text())
  .then((t) => loadCaptions(t, 'sample.vtt'), showError)
  .then(() => remix.start());
