// The project kept across reloads in IndexedDB: the clip (its bytes, name and SHA-256), the
// caption file's name, and the remix chain with its head and redo list, which hold every edit.
// One project, the last one worked on; the page offers to resume it rather than forcing it.

const DB = 'outtake-demo';
const STORE = 'projects';
const KEY = 'last';

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run(mode, op) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = op(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** SHA-256 of a blob as hex, or null past 256 MiB (hashing would hold it all in memory). */
export async function hashBlob(blob) {
  if (blob.size > 256 << 20) return null;
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Keeps `project`: {name, blob, sha256, captionsName, history: {chain, head, redo}, nodes,
 * savedAt}.
 */
export function saveProject(project) {
  return run('readwrite', (s) => s.put(project, KEY));
}

/** The kept project, or undefined. */
export function loadProject() {
  return run('readonly', (s) => s.get(KEY));
}

/** Forgets the kept project. */
export function forgetProject() {
  return run('readwrite', (s) => s.delete(KEY));
}
