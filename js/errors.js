// The one error class of the package: every failure reaches users as an OuttakeError with a
// stable `code` (see the README's error table), whether it came from Rust, the worker or the shell.

export class OuttakeError extends Error {
  /**
   * @param {string} code stable machine-readable code, e.g. "ERR_INVALID_ARGUMENT"
   * @param {string} message what was wrong and where
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = 'OuttakeError';
    this.code = code;
  }
}

/** Turns whatever was thrown (a Rust error, a wasm trap, a structured clone) into an OuttakeError. */
export function toOuttakeError(e) {
  if (e instanceof OuttakeError) return e;
  if (e && typeof e === 'object' && typeof e.code === 'string' && e.name === 'OuttakeError') {
    return new OuttakeError(e.code, e.message);
  }
  if (e && e.name === 'AbortError') return e;
  // A wasm trap is a bug in outtake, never the caller's fault: say so, keep the cause.
  if (e instanceof WebAssembly.RuntimeError) {
    return new OuttakeError(
      'ERR_INTERNAL',
      `internal error in outtake (please report): ${e.message}`,
      { cause: e },
    );
  }
  const message = e?.message ? e.message : String(e);
  return new OuttakeError('ERR_INTERNAL', message, { cause: e });
}
