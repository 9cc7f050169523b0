// A render run in the API page for the render e2e tests: output, progress, playback in <video>.
// What they measure on the output (PCM, A/V lag, PSNR, edit lists) is tests/helpers/media.mjs's.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Renders `segments` ([start, end, source]) of `files` (id -> path) in the page with `options`
 * (beyond sources); returns {out, type, progress, play, ms}, the output written to `dir/name`,
 * or {error: {code, message}} when the render fails.
 */
export async function renderInPage(api, dir, segments, name, files, options = {}) {
  const r = await api.page.evaluate(
    async ({ srcs, segments, options }) => {
      const o = window.outtake;
      const sources = {};
      for (const [id, src] of Object.entries(srcs)) sources[id] = await (await fetch(src)).blob();
      const progress = [];
      const t0 = performance.now();
      let out;
      try {
        out = await o.render(
          { segments: segments.map(([start, end, source]) => ({ source, start, end })) },
          { sources, onProgress: (f) => progress.push(f), ...options },
        );
      } catch (e) {
        return { error: { code: e.code, message: e.message } };
      }
      const ms = performance.now() - t0;
      const bytes = new Uint8Array(await out.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const v = document.createElement('video');
      v.muted = true;
      v.src = URL.createObjectURL(out);
      const play = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ error: 'timeout' }), 20000);
        v.onerror = () => {
          clearTimeout(timer);
          resolve({ error: v.error?.message });
        };
        v.requestVideoFrameCallback((_now, meta) => {
          const first = meta.mediaTime;
          v.onended = () => {
            clearTimeout(timer);
            resolve({ first, ended: true, duration: v.duration });
          };
          v.playbackRate = 4;
          v.play().catch((e) => resolve({ error: String(e) }));
        });
        v.preload = 'auto';
      });
      URL.revokeObjectURL(v.src);
      return { b64: btoa(bin), type: out.type, progress, play, ms };
    },
    {
      srcs: Object.fromEntries(Object.entries(files).map(([id, f]) => [id, api.urlOf(f)])),
      segments,
      options,
    },
  );
  if (r.error) return r;
  const ext = { 'video/mp4': 'mp4', 'video/webm': 'webm' }[r.type] ?? 'mkv';
  const out = path.join(dir, `${name}.${ext}`);
  fs.writeFileSync(out, Buffer.from(r.b64, 'base64'));
  return { ...r, out };
}
