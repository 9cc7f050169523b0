// Fetches a caption file for <outtake-editor> and reads it with the engine (WebVTT or SRT).

import { OuttakeError } from './errors.js';
import { parseCaptions } from './index.js';

/** Loads `url` (WebVTT or SRT) into the cues the element shows. */
export async function loadCaptionsTrack(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new OuttakeError('ERR_FETCH', `${url}: ${e.message}`);
  }
  if (!response.ok) throw new OuttakeError('ERR_FETCH', `${url}: HTTP ${response.status}`);
  const captions = await parseCaptions(await response.text());
  return captions.cues;
}
