// Parse + serialize a 10,000-cue WebVTT file, in one page, with outtake and the npm parsers
// people use. Each row is the median of several runs after warm-up.
import { parseCaptions, serializeCaptions } from 'outtake';
import { WebVTTParser, WebVTTSerializer } from 'webvtt-parser';
import { parseSync, stringifySync } from 'subtitle';
import { medianMs, report } from '../lib/timing.js';

report(
  (async () => {
    const text = await (await fetch('corpus.vtt')).text();
    const bytes = new TextEncoder().encode(text).length;
    const counts = {};
    const rows = {};

    rows['outtake, via JS objects'] = await medianMs(async () => {
      const c = await parseCaptions(text);
      counts['outtake, via JS objects'] = c.cues.length;
      await serializeCaptions(c, 'vtt');
    });
    // A format conversion needs no JS objects: text in, text out, all in wasm.
    rows['outtake, text → text'] = await medianMs(async () => {
      await serializeCaptions(text, 'vtt');
    });
    counts['outtake, text → text'] = counts['outtake, via JS objects'];
    rows['webvtt-parser'] = await medianMs(() => {
      const parsed = new WebVTTParser().parse(text, 'metadata');
      counts['webvtt-parser'] = parsed.cues.length;
      new WebVTTSerializer().serialize(parsed.cues);
    });
    rows.subtitle = await medianMs(() => {
      const nodes = parseSync(text);
      counts.subtitle = nodes.filter((n) => n.type === 'cue').length;
      stringifySync(nodes, { format: 'WebVTT' });
    });
    return { bytes, rows, counts };
  })(),
);
