// What the page tells people when something fails: plain words in the panel where it happened
// (an element with role="alert"), what the file is and what outtake can still do with it, and the
// error's stable code with the engine's own text folded under "Details" for a bug report.

const CODEC_NAMES = [
  [/^avc[13]/, 'H.264'],
  [/^(hev1|hvc1)/, 'HEVC (H.265)'],
  [/^vp8/, 'VP8'],
  [/^vp09/, 'VP9'],
  [/^av01/, 'AV1'],
  [/^mp4a/, 'AAC'],
  [/^opus/, 'Opus'],
  [/^ec-3/, 'E-AC-3'],
  [/^ac-3/, 'AC-3'],
];
const CONTAINERS = { mp4: 'MP4', webm: 'WebM', matroska: 'Matroska' };

/** A codec string ("ec-3", "avc1.64001f") as people name the codec ("E-AC-3", "H.264"). */
export function codecName(codec) {
  return CODEC_NAMES.find(([re]) => re.test(codec))?.[1] ?? codec;
}

/** "MP4: H.264 video 1280×720 at 25 fps, AAC audio": what probe found, in words. */
export function describeClip(info) {
  const parts = info.tracks.map((t) => {
    if (t.kind !== 'video') return `${codecName(t.codec)} ${t.kind}`;
    const portrait = t.rotation === 90 || t.rotation === 270;
    const [w, h] = portrait ? [t.height, t.width] : [t.width, t.height];
    const r = t.frameRate;
    const fps = !r
      ? ''
      : r.variable
        ? ` at a variable rate (≈${r.average.toFixed(2)} fps)`
        : ` at ${fmtFps(r.nominalFps)} fps`;
    return `${codecName(t.codec)} video ${w}×${h}${fps}`;
  });
  return `${CONTAINERS[info.container] ?? info.container}: ${parts.join(', ') || 'no tracks'}`;
}

const fmtFps = (f) => String(Number(f.toFixed(3)));

/**
 * Why a probed file does not play here, and what trim can still do. Null when every track
 * decodes (then the failure is the browser's own, told by `unplayable`).
 */
export function undecodableMessage(name, info) {
  const bad = info.tracks.filter((t) => !t.decodable);
  if (!bad.length) return null;
  const video = info.tracks.some((t) => t.kind === 'video');
  const what = [...new Set(bad.map((t) => `${codecName(t.codec)} ${t.kind}`))].join(' and ');
  const badVideo = bad.some((t) => t.kind === 'video');
  const can = badVideo
    ? 'trim can still cut it on keyframes without re-encoding'
    : video
      ? 'trim can drop or keep it'
      : 'trim can cut it and keep it as it is';
  return `${name}: ${what}: this browser cannot play it; ${can}.`;
}

/** A failed probe (the file is not a video outtake reads) in words, by the error's code. */
export function unreadableMessage(name, e, head) {
  const code = e?.code ?? '';
  if (code === 'ERR_UNKNOWN_CONTAINER') {
    const text = head && /^[\t\n\r\x20-\x7e\u00a0-\uffff]*$/.test(head);
    return `${name} is ${text ? 'a text file' : 'not a video outtake can read'}, not an MP4, WebM or Matroska video. Pick a video to edit, or drop a .vtt or .srt file to load captions.`;
  }
  if (/TRUNCATED/.test(code))
    return `${name} is cut short (an unfinished download or copy?): outtake cannot read its frames. Try the complete file.`;
  if (/CORRUPT/.test(code))
    return `${name} is damaged: outtake cannot read its frames. Try another copy of it.`;
  if (code === 'ERR_UNSUPPORTED_CODEC')
    return `${name} holds a kind of video or audio outtake does not handle yet.`;
  return `${name} could not be read.`;
}

/** A failed cut plan or export, in words: what to do about it in the trim panel. */
export function trimMessage(e, exporting) {
  const code = e?.code ?? '';
  const keyframe =
    'put the in-point on a keyframe (the marks under the handles) to copy it as it is';
  if (code === 'ERR_NEEDS_REENCODE')
    return `This cut needs frames re-encoded, which this browser cannot do for this video: ${keyframe}.`;
  if (code === 'ERR_NO_IDR')
    return `Decoding cannot start before this in-point (no full keyframe before it): ${keyframe}.`;
  if (code === 'ERR_CUT_RANGE') return 'The in and out points do not make a cut inside the clip.';
  if (code === 'ERR_UNSUPPORTED_CODEC')
    return 'This clip has a track this browser cannot decode: choose above whether to leave it out or keep it as it is.';
  if (code === 'ERR_DECODE' || code === 'ERR_ENCODE')
    return `The browser's video ${code === 'ERR_DECODE' ? 'decoder' : 'encoder'} failed while re-encoding the frames before the first keyframe: ${keyframe}.`;
  return exporting ? 'The export failed.' : 'Where the cut lands could not be worked out.';
}

/** A caption file that did not parse, in words. */
export function captionsMessage(name, e) {
  const where = /^(\d+):(\d+)/.exec(e?.message ?? '');
  const at = where ? ` (line ${where[1]})` : '';
  if (e?.code === 'ERR_CAPTIONS_FORMAT')
    return `${name} is not a caption file: outtake reads WebVTT (.vtt) and SRT (.srt).`;
  return `${name} could not be read as captions${at}: the captions on screen are unchanged.`;
}

/**
 * Shows `message` in the alert element `el` (or hides it for null). `error` (with its `code`
 * and the engine's message) goes under a "Details" disclosure, copyable for a bug report.
 */
export function showAlert(el, message, error) {
  el.hidden = !message;
  el.replaceChildren();
  delete el.dataset.code;
  if (!message) return;
  const p = document.createElement('p');
  p.className = 'msg';
  p.textContent = message;
  el.append(p);
  if (error) {
    const code = error.code ?? error.name ?? 'ERR_UNKNOWN';
    el.dataset.code = code;
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'Details';
    const line = document.createElement('code');
    line.textContent = `${code}: ${error.message ?? String(error)}`;
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.textContent = 'Copy';
    copy.setAttribute('aria-label', 'copy the error details');
    copy.addEventListener('click', () => navigator.clipboard?.writeText(line.textContent));
    details.append(summary, line, copy);
    el.append(details);
  }
}

/** A failed render of the edit, in words: what to change so that it goes through. */
export function renderMessage(e) {
  const code = e?.code ?? '';
  const detail = e?.message ? ` (${e.message.replace(/^[^:]*: /, '')})` : '';
  if (code === 'ERR_UNSUPPORTED_CODEC' && /audio ends before/.test(e.message))
    return 'A clip runs past the end of its sound, and silence cannot be made yet: shorten that clip at its end (or delete it).';
  if (code === 'ERR_UNSUPPORTED_CODEC')
    return `These clips cannot be joined into one file yet: the sources must share their video codec, picture size and audio format${detail}. Take the cameo out, or use a cameo made like the clip.`;
  if (code === 'ERR_NO_IDR')
    return 'A clip starts where decoding cannot begin (no full keyframe before it): move its in-point onto a keyframe.';
  if (code === 'ERR_NEEDS_REENCODE')
    return 'A clip needs frames re-encoded, which this browser cannot do for this video: start each clip on a keyframe.';
  if (code === 'ERR_DECODE' || code === 'ERR_ENCODE')
    return `The browser's video ${code === 'ERR_DECODE' ? 'decoder' : 'encoder'} failed while re-encoding frames at a cut: try cuts on keyframes.`;
  if (code === 'ERR_INVALID_ARGUMENT' || code === 'ERR_TIMELINE')
    return 'The edit has nothing to export, or names a file that is not open: open the clip (and its cameos) again.';
  if (/^ERR_(MP4|WEBM)_/.test(code))
    return 'One of the files is damaged or cut short: outtake cannot read its frames.';
  return 'The export failed.';
}
