// A deterministic, real-looking WebVTT file for the caption benchmarks: dialogue with voices,
// italics, entities, two-line cues, some cue settings, NOTE blocks, natural gaps.
const WORDS = (
  'the a to of and you that it in is was he for on are with as I his they be at one have this from or ' +
  'had by word but what some we can out other were all there when up use your how said an each she which do their time ' +
  'if will way about many then them write would like so these her long make thing see him two has look more day could go ' +
  'come did number sound no most people my over know water than call first who may down side been now find'
).split(' ');
const SPEAKERS = ['Ana', 'Bo', 'Chidi', 'Dara', 'Emil'];

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function stamp(ms) {
  const h = Math.floor(ms / 3600000),
    m = Math.floor(ms / 60000) % 60,
    s = Math.floor(ms / 1000) % 60;
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(h)}:${p(m)}:${p(s)}.${p(ms % 1000, 3)}`;
}

export function makeVtt(count, seed = 7) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const sentence = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  let t = 1000;
  const out = ['WEBVTT - benchmark corpus', ''];
  for (let i = 0; i < count; i++) {
    if (i % 500 === 0) out.push(`NOTE reel ${i / 500 + 1}`, '');
    const dur = 900 + Math.floor(r() * 4000);
    const settings =
      i % 7 === 0 ? ' line:10% align:start' : i % 11 === 0 ? ' position:30% size:60%' : '';
    let text = sentence(3 + Math.floor(r() * 6));
    if (r() < 0.5) text = `<v ${pick(SPEAKERS)}>${text}`;
    if (r() < 0.2) text += ` <i>${sentence(2)}</i>`;
    if (r() < 0.1) text += ' &amp; more';
    if (r() < 0.4) text += `\n${sentence(2 + Math.floor(r() * 5))}`;
    out.push(String(i + 1), `${stamp(t)} --> ${stamp(t + dur)}${settings}`, text, '');
    t += dur + 80 + Math.floor(r() * 1500);
  }
  return out.join('\n');
}
