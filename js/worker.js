// The module worker that runs heavy engine calls off the page's thread. Messages in:
// {id, method, args}; out: {id, result} or {id, error: {code, message}} or {id, progress}.

import { call } from './engine.js';
import { toOuttakeError } from './errors.js';

self.onmessage = async (event) => {
  const { id, method, args, progress } = event.data;
  // Functions cannot cross to the worker: a call that wants progress gets an `onProgress` in its
  // options object (its last argument) that posts {id, progress} back.
  if (progress && args.length && args[args.length - 1] && typeof args[args.length - 1] === 'object') {
    args[args.length - 1].onProgress = (fraction) => self.postMessage({ id, progress: fraction });
  }
  try {
    const result = await call(method, ...args);
    const transfer = result && result.buffer instanceof ArrayBuffer ? [result.buffer] : [];
    self.postMessage({ id, result }, transfer);
  } catch (e) {
    const err = toOuttakeError(e);
    self.postMessage({ id, error: { code: err.code, message: err.message, name: err.name } });
  }
};
