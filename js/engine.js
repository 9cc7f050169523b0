// Loads the wasm engine once, on first use, in whichever realm imports this (page or worker).
// A trap poisons an instance (Rust state may be half-updated), so the next call starts afresh.

import initWasm, * as wasm from './wasm/outtake.js';
import { toOuttakeError } from './errors.js';

let loading = null;

/**
 * Initialises the engine. Optional: every API call does it on first use. Pass a URL, Response or
 * WebAssembly.Module to load the `.wasm` from somewhere else than beside this file.
 */
export function init(wasmSource) {
  if (!loading) {
    loading = initWasm(wasmSource === undefined ? undefined : { module_or_path: wasmSource }).catch((e) => {
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
    return wasm[name](...args);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) loading = null;
    throw toOuttakeError(e);
  }
}
