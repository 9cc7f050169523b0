// Speech media for the sync tests: espeak-ng sentences laid out at known times over quiet noise,
// with the true extent of each (read from the synthesised samples, not assumed), written as WAV
// and encoded by ffmpeg as MP4 (AAC) and WebM (Opus). Cached in target/ by the layout's hash.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { ROOT } from './media.mjs';

const RATE = 22050; // espeak-ng's own rate: no resampling between synthesis and truth.

const LINES = [
  'Where were you last night?',
  'At the station, waiting for the train.',
  'You never called me back.',
  'The phone was dead, and the shops were closed.',
  'I waited by the river until morning.',
  'Then you should have told somebody.',
  'Nobody asked me anything.',
  'We looked for you in every street of the city.',
  'I am here now.',
  'That is not enough, and you know it.',
];
// Pauses before each line (seconds): uneven, so that no shift of the layout matches itself.
const GAPS = [1.3, 0.9, 2.1, 1.1, 1.7, 0.8, 2.6, 1.2, 1.5, 1.0];
const TAIL = 2.0;

function readWav16(file) {
  const b = fs.readFileSync(file);
  let at = 12;
  let rate = 0;
  let channels = 1;
  while (at + 8 <= b.length) {
    const id = b.toString('ascii', at, at + 4);
    const size = b.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      channels = b.readUInt16LE(at + 10);
      rate = b.readUInt32LE(at + 12);
    }
    if (id === 'data') {
      // espeak-ng writes 0xffffffff as the size when it streams: the rest of the file.
      const end = Math.min(b.length, at + 8 + (size === 0xffffffff ? b.length : size));
      const n = Math.floor((end - at - 8) / 2 / channels);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = b.readInt16LE(at + 8 + i * 2 * channels) / 32768;
      return { samples: out, rate };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

function wav16(samples, rate) {
  const b = Buffer.alloc(44 + samples.length * 2);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + samples.length * 2, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767)));
    b.writeInt16LE(v, 44 + i * 2);
  }
  return b;
}

/** First and last sample louder than -40 dBFS: where the voice really is. */
function extent(samples) {
  const loud = (s) => Math.abs(s) > 0.01;
  let a = 0;
  while (a < samples.length && !loud(samples[a])) a++;
  let b = samples.length - 1;
  while (b > a && !loud(samples[b])) b--;
  return [a, b + 1];
}

const srtTime = (t) => {
  const ms = Math.round(t * 1000);
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(Math.floor(ms / 3600000))}:${p(Math.floor(ms / 60000) % 60)}:${p(Math.floor(ms / 1000) % 60)},${p(ms % 1000, 3)}`;
};

/** SRT text of cues [{start, end, text}] (seconds). */
export function srt(cues) {
  return cues
    .map((c, i) => `${i + 1}\n${srtTime(c.start)} --> ${srtTime(c.end)}\n${c.text}\n`)
    .join('\n');
}

/**
 * The speech programme: {dir, wav, mp4, webm, noAudio, cues (the truth), duration}. Made once
 * per layout (the cache key is this file's text), in target/speech-media-<hash>.
 */
export function speechMedia() {
  const key = crypto
    .createHash('sha256')
    .update(fs.readFileSync(new URL(import.meta.url)))
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(ROOT, `target/speech-media-${key}`);
  const files = {
    dir,
    wav: path.join(dir, 'speech.wav'),
    mp4: path.join(dir, 'speech.mp4'),
    webm: path.join(dir, 'speech.webm'),
    noAudio: path.join(dir, 'no-audio.mp4'),
    truth: path.join(dir, 'truth.json'),
  };
  if (!fs.existsSync(path.join(dir, '.done'))) make(files);
  const { cues, duration } = JSON.parse(fs.readFileSync(files.truth, 'utf8'));
  return { ...files, cues, duration };
}

function make(f) {
  fs.mkdirSync(f.dir, { recursive: true });
  const parts = LINES.map((text, i) => {
    const file = path.join(f.dir, `line-${i}.wav`);
    const voice = ['en-us', 'en-gb', 'en-us+f3', 'en-gb-x-rp', 'en-us+m3'][i % 5];
    execFileSync('espeak-ng', ['-v', voice, '-s', String(150 + (i % 3) * 15), '-w', file, text]);
    const { samples, rate } = readWav16(file);
    if (rate !== RATE) throw new Error(`espeak-ng wrote ${rate} Hz, expected ${RATE}`);
    fs.rmSync(file);
    return { text, samples };
  });
  let t = 0;
  const placed = parts.map((p, i) => {
    t += GAPS[i];
    const at = Math.round(t * RATE);
    t += p.samples.length / RATE;
    return { ...p, at };
  });
  const n = Math.round((t + TAIL) * RATE);
  const out = new Float32Array(n);
  // Quiet noise (about -50 dBFS) from a fixed-seed generator: real silence is rarer than this.
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    out[i] = ((seed / 2 ** 32) * 2 - 1) * 0.003;
  }
  const cues = placed.map(({ text, samples, at }) => {
    out.set(
      samples.map((s, k) => s * 0.8 + out[at + k]),
      at,
    );
    const [a, b] = extent(samples);
    return { start: (at + a) / RATE, end: (at + b) / RATE, text };
  });
  fs.writeFileSync(f.wav, wav16(out, RATE));
  const ff = (...args) => execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', ...args]);
  ff('-i', f.wav, '-c:a', 'aac', '-b:a', '96k', f.mp4);
  ff('-i', f.wav, '-c:a', 'libopus', '-b:a', '48k', f.webm);
  ff(
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=64x48:rate=10:duration=1',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    f.noAudio,
  );
  fs.writeFileSync(f.truth, JSON.stringify({ cues, duration: n / RATE }));
  fs.writeFileSync(path.join(f.dir, '.done'), '');
}
