// The project as a file the user keeps: the remix chain (every edit, with its head and what redo
// can walk to), the frame rate, the caption file's name, and the sources by name and SHA-256,
// never their bytes. Opening it asks for the sources again and re-links each by its hash.

const FORMAT = 'outtake-project';

/** The project file's text. `sources`: [{name, sha256, size, role: 'clip' | 'cameo'}]. */
export function projectText({ name, rate, captionsName, history, sources }) {
  return `${JSON.stringify({ format: FORMAT, version: 1, name, rate, captionsName, sources, history }, null, 1)}\n`;
}

/** Reads a project file's text; throws an Error in plain words when it is not one. */
export function readProject(text, fileName) {
  let p;
  try {
    p = JSON.parse(text);
  } catch {
    throw new Error(`${fileName} is not an outtake project (not JSON).`);
  }
  if (p?.format !== FORMAT) throw new Error(`${fileName} is not an outtake project.`);
  if (p.version !== 1)
    throw new Error(`${fileName} was saved by a newer outtake (project version ${p.version}).`);
  const clip = p.sources?.find?.((s) => s.role === 'clip');
  if (!clip?.sha256 || typeof p.history?.chain !== 'string' || !p.history.head)
    throw new Error(`${fileName} is an outtake project with parts missing: it cannot be opened.`);
  return p;
}
