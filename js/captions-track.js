// Fetches a caption file for <outtake-editor> and turns it into cues the element can show.

import { OuttakeError } from './errors.js';

/** Loads `url` (WebVTT) into [{id, startTime, endTime, text}]. */
export async function loadCaptionsTrack(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new OuttakeError('ERR_FETCH', `${url}: ${e.message}`);
  }
  if (!response.ok) throw new OuttakeError('ERR_FETCH', `${url}: HTTP ${response.status}`);
  const text = await response.text();
  return cuesFromWebVtt(text, url);
}

/**
 * Reads cues with the browser's own WebVTT parser (a <track> on a blob URL), so the element
 * shows what any page would. The engine's spec-exact parser replaces this where it is built in.
 */
function cuesFromWebVtt(text, url) {
  if (!/^\uFEFF?WEBVTT([ \t\n\r]|$)/.test(text)) {
    throw new OuttakeError('ERR_CAPTIONS_FORMAT', `${url}:1:1: not a WebVTT file (no WEBVTT signature)`);
  }
  return new Promise((resolve, reject) => {
    const video = document.createElement('video');
    const track = document.createElement('track');
    const blobUrl = URL.createObjectURL(new Blob([text], { type: 'text/vtt' }));
    track.kind = 'captions';
    track.default = true;
    track.src = blobUrl;
    video.append(track);
    track.track.mode = 'hidden';
    const done = () => URL.revokeObjectURL(blobUrl);
    track.addEventListener('load', () => {
      done();
      resolve([...track.track.cues].map((c) => ({ id: c.id, startTime: c.startTime, endTime: c.endTime, text: c.text })));
    });
    track.addEventListener('error', () => {
      done();
      reject(new OuttakeError('ERR_CAPTIONS_FORMAT', `${url}: the captions could not be parsed`));
    });
  });
}
