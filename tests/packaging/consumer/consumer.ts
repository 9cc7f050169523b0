// Type-checks against the package's .d.ts (tsc --noEmit): the API as a TypeScript user sees it.
import { version, snapTime, snapTimes, frameAt, parseFrameRate, OuttakeError, type FrameRate, type Rounding } from 'outtake';
import type { OuttakeEditor, EditorCue } from 'outtake/editor';

const rate: FrameRate = '30000/1001';
const rounding: Rounding = 'nearest';

async function use(): Promise<void> {
  const v: string = await version();
  const t: number = await snapTime(1, rate, rounding);
  const f: number = await frameAt(t, 29.97);
  const s: Float64Array = await snapTimes([1, 2], 25, 'floor', { signal: new AbortController().signal });
  const r: string = await parseFrameRate(23.976);
  try {
    await frameAt(1, rate);
  } catch (e) {
    if (e instanceof OuttakeError) {
      const code: string = e.code;
      console.log(code, v, f, s, r);
    }
  }
  const el: OuttakeEditor = document.createElement('outtake-editor');
  const cues: EditorCue[] = [{ startTime: 0, endTime: 1, text: 'hi' }];
  el.setCues(cues);
  const video: HTMLVideoElement = el.video;
  console.log(video, el.captionText);
  // @ts-expect-error rounding must be one of the three names
  await snapTime(1, rate, 'up');
}
void use;
