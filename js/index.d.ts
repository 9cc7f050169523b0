// Types of outtake's public API. Every failure is an OuttakeError with a stable `code`.

/** The error every outtake call rejects or throws with. */
export class OuttakeError extends Error {
  constructor(code: string, message: string, options?: { cause?: unknown });
  readonly name: 'OuttakeError';
  /** Stable machine-readable code, e.g. "ERR_INVALID_ARGUMENT", "ERR_FRAME_RATE". */
  readonly code: string;
}

/** A frame rate: a number (29.97 means 30000/1001) or an exact string ("30000/1001", "25"). */
export type FrameRate = number | string;

/** How a time between two frame boundaries is settled. */
export type Rounding = 'floor' | 'ceil' | 'nearest';

/** Where the `.wasm` comes from, when not beside the package's JS. */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/** Loads the engine. Optional: every call does it on first use. */
export function init(wasmSource?: WasmSource): Promise<void>;

/** The package version, e.g. "0.1.0". */
export function version(): Promise<string>;

/** A frame rate as an exact "num/den" string: `parseFrameRate(23.976)` is "24000/1001". */
export function parseFrameRate(frameRate: FrameRate): Promise<string>;

/** The index of the frame at `seconds` on the grid of `frameRate`; rounding defaults to "floor". */
export function frameAt(seconds: number, frameRate: FrameRate, rounding?: Rounding): Promise<number>;

/** `seconds` moved onto the frame grid of `frameRate`; rounding defaults to "nearest". */
export function snapTime(seconds: number, frameRate: FrameRate, rounding?: Rounding): Promise<number>;

/** Many times moved onto a frame grid at once, in the worker. */
export function snapTimes(
  times: ArrayLike<number> | Float64Array,
  frameRate: FrameRate,
  rounding?: Rounding,
  options?: { signal?: AbortSignal },
): Promise<Float64Array>;

/** Whether the engine's worker is running (it ends itself when idle). */
export function workerRunning(): boolean;

/** Ends the engine's worker now, rejecting any call still running in it. */
export function stopWorker(): void;
