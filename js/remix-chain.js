// RemixChain: a chain of remixes kept as plain JSON text (the chain file the CLI reads), with
// every operation a stateless engine call on that text, so no wasm object ever needs freeing.
// The text, not a parsed object, is the state: node ids hash numbers exactly as written
// (`24.0` ≠ `24`), which a JSON.parse/stringify round trip would not keep.

import { call } from './engine.js';
import { OuttakeError } from './errors.js';

/** The text of a chain given as a RemixChain, chain text or chain object. */
export function chainText(chain) {
  return chain instanceof RemixChain ? chain.toJSON() : chain;
}

export class RemixChain {
  #text = null;
  #nodes = [];
  // Operations run one after another: two `add`s in flight must not both start from one state.
  #queue = Promise.resolve();

  #run(fn) {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => {});
    return next;
  }

  #take(result) {
    this.#text = result.chain;
    this.#nodes = result.nodes;
  }

  /** A chain read from its JSON text (lossless) or object; every node's hash is checked. */
  static async fromJSON(chain) {
    if (typeof chain !== 'string' && (chain === null || typeof chain !== 'object' || chain instanceof RemixChain)) {
      throw new OuttakeError('ERR_INVALID_ARGUMENT', 'chain: expected the chain\'s JSON text or object');
    }
    const c = new RemixChain();
    c.#take(await call('chainLoad', chain));
    return c;
  }

  /** The nodes, parents first: [{id, parents, author, createdAt, message}] (no timelines). */
  get nodes() {
    return this.#nodes.map((n) => ({ ...n, parents: [...n.parents] }));
  }

  /** Adds a remix; resolves to its id (the SHA-256 of its content). */
  add(node) {
    return this.#run(async () => {
      const r = await call('chainAdd', this.#text, node);
      this.#take(r);
      return r.id;
    });
  }

  /** One node with its timeline object. */
  get(id) {
    return this.#run(() => call('chainGet', this.#text, id));
  }

  /** Checks every node's hash and parents; resolves to true or rejects with ERR_CHAIN_VERIFY. */
  verify() {
    return this.#run(async () => {
      if (this.#text !== null) await call('chainLoad', this.#text);
      return true;
    });
  }

  /** The changes from node `a` to node `b` (as diffTimelines). */
  diff(a, b, options) {
    return this.#run(() => call('chainDiff', this.#text, a, b, options));
  }

  /** Which node introduced and which last changed each clip and caption word of node `id`. */
  blame(id, options) {
    return this.#run(() => call('chainBlame', this.#text, id, options));
  }

  /**
   * The chain file's text, exactly as the CLI writes and reads it (`outtake remix blame`).
   * NOTE: text rather than an object, so that a save and `fromJSON` keep every hash valid.
   */
  toJSON() {
    return this.#text ?? '{"outtakeChain": 1, "nodes": []}\n';
  }
}
