// Loads the wasm engine once, on first use, in whichever realm imports this (page or worker).
// A trap poisons an instance (Rust state may be half-updated), so after one the instance is
// dropped and the next call instantiates the same compiled module afresh.

import initWasm, * as wasm from './wasm/outtake.js';
import { toOuttakeError } from './errors.js';

let loading = null;
// The compiled module, kept when an instance is dropped, so a fresh one needs no second fetch.
let compiled;

/**
 * Initialises the engine. Optional: every API call does it on first use. Pass a URL, Response or
 * WebAssembly.Module to load the `.wasm` from somewhere else than beside this file.
 */
export function init(wasmSource) {
  if (!loading) {
    const source = compiled ?? wasmSource;
    loading = initWasm(source === undefined ? undefined : { module_or_path: source }).catch((e) => {
      loading = null;
      throw toOuttakeError(e);
    });
  }
  return loading.then(() => undefined);
}

/** Calls an exported engine function by name, turning every failure into an OuttakeError. */
export async function call(name, ...args) {
  await init();
  try {
    // Awaited, so that an async export's trap is caught here too.
    return await wasm[name](...args);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      // The glue caches its instance for good; scripts/build.sh adds this export to forget it.
      compiled = wasm.__outtake_reset();
      loading = null;
    }
    throw toOuttakeError(e);
  }
}
