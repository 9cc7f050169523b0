// RemixChain: a chain of remixes kept as plain JSON text, one compact text per node, with every
// operation a stateless engine call, so no wasm object ever needs freeing. Adding a node hashes
// only that node; a diff reads two nodes, blame one lineage: never the whole chain. The engine
// keeps the nodes it hashed parsed in a bounded cache by id, and asks `#lookup` for any other.
// NOTE: text, not parsed objects: node ids hash numbers exactly as written (`24.0` ≠ `24`),
// which a JSON.parse/stringify round trip would not keep.

import { call } from './engine.js';
import { OuttakeError } from './errors.js';

export class RemixChain {
  #nodes = [];
  #texts = [];
  #index = new Map();

  #append(info, text) {
    this.#index.set(info.id, this.#nodes.length);
    this.#nodes.push(info);
    this.#texts.push(text);
  }

  // The text of a node the engine does not hold parsed (evicted, or a fresh engine instance).
  #lookup = (id) => this.#texts[this.#index.get(id)];

  #at(id, place) {
    const i = typeof id === 'string' ? this.#index.get(id) : undefined;
    if (i === undefined)
      throw new OuttakeError(
        'ERR_INVALID_ARGUMENT',
        `${place}: no node ${String(id)} in the chain`,
      );
    return i;
  }

  /** A chain read from its JSON text (exact) or object; every node's hash is checked. */
  static async fromJSON(chain) {
    if (
      typeof chain !== 'string' &&
      (chain === null ||
        typeof chain !== 'object' ||
        Array.isArray(chain) ||
        chain instanceof RemixChain)
    ) {
      throw new OuttakeError(
        'ERR_INVALID_ARGUMENT',
        "chain: expected the chain's JSON text or object",
      );
    }
    const { nodes, texts } = await call('chainLoad', chain);
    const c = new RemixChain();
    for (const [i, n] of nodes.entries()) c.#append(n, texts[i]);
    return c;
  }

  /** The nodes, parents first: [{id, parents, author, createdAt, message}] (no timelines). */
  get nodes() {
    return this.#nodes.map((n) => ({ ...n, parents: [...n.parents] }));
  }

  /** Adds a remix `{parents, author, message, timeline, createdAt?}`; resolves to its id. */
  async add(node) {
    const made = await call('chainNode', node);
    for (const [i, p] of made.info.parents.entries()) this.#at(p, `node.parents[${i}]`);
    // The same content is the same node: adding it again changes nothing.
    if (!this.#index.has(made.info.id)) this.#append(made.info, made.text);
    return made.info.id;
  }

  /** One node with its timeline object. */
  async get(id) {
    this.#at(id, 'id');
    return call('chainGet', id, this.#lookup);
  }

  /** Checks every node's hash and parents; resolves to true or rejects with ERR_CHAIN_VERIFY. */
  async verify() {
    await call('chainLoad', this.toJSON());
    return true;
  }

  /** The changes from node `a` to node `b` (as diffTimelines). */
  async diff(a, b, options) {
    this.#at(a, 'a');
    this.#at(b, 'b');
    return call('chainDiff', a, b, this.#lookup, options);
  }

  /** Which node introduced and which last changed each clip and caption word of node `id`. */
  async blame(id, options) {
    const lineage = [];
    for (let i = this.#at(id, 'id'); ; i = this.#index.get(this.#nodes[i].parents[0])) {
      lineage.push(this.#nodes[i].id);
      if (!this.#nodes[i].parents.length) break;
    }
    return call('chainBlame', lineage.reverse(), this.#lookup, options);
  }

  /**
   * The chain file's JSON text (what `outtake remix blame` reads). Text rather than an object,
   * so that saving it and `fromJSON` keep every hash valid whatever numbers the timelines hold.
   */
  toJSON() {
    return `{"outtakeChain":1,"nodes":[${this.#texts.join(',')}]}`;
  }
}
