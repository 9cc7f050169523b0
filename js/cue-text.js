// Cue text as people edit it: entities decoded (`&` rather than `&amp;`) and markup (`<i>`, `<v>`)
// kept as written; and back to WebVTT cue text on every edit. `&lt;` and `&gt;` stay as they
// are, since a bare `<` would read as the start of a tag. Used by <outtake-editor editable>.

const NAMED = { amp: '&', nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f' };

/** WebVTT cue text → the text shown in the cue editor. */
export function decodeCueText(text) {
  return text.replace(/&(amp|nbsp|lrm|rlm|#\d+|#x[0-9a-f]+);/gi, (all, name) => {
    const lower = name.toLowerCase();
    if (lower in NAMED) return NAMED[lower];
    const code = lower.startsWith('#x')
      ? Number.parseInt(lower.slice(2), 16)
      : Number.parseInt(lower.slice(1), 10);
    // A decoded `<`, `>` or `&` would change what the text means: keep the reference.
    if (code === 0x3c || code === 0x3e || code === 0x26 || code > 0x10ffff) return all;
    return String.fromCodePoint(code);
  });
}

/** The cue editor's text → WebVTT cue text: a lone `&` becomes `&amp;`. */
export function encodeCueText(text) {
  return text.replace(/&(?!(lt|gt|amp|nbsp|lrm|rlm|#\d+|#x[0-9a-f]+);)/gi, '&amp;');
}
