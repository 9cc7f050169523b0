// Every export of the package's types (js/index.d.ts, js/editor.d.ts) has a docblock with an
// `@example`, and every public member of an exported class has a docblock, so that an IDE shows
// more than a bare signature. Reads the files with the TypeScript compiler API.
// `node scripts/check-docblocks.mjs [FILE.d.ts…]`; exits 1 naming each gap as FILE:LINE.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const DEFAULT_FILES = ['js/index.d.ts', 'js/editor.d.ts'];

/** The JSDoc blocks attached to `node` (the last one is what an IDE shows). */
const docs = (node) => (node.jsDoc ?? []).filter((d) => ts.isJSDoc(d));

const hasText = (doc) => {
  const c = typeof doc.comment === 'string' ? doc.comment : ts.getTextOfJSDocComment(doc.comment);
  return Boolean(c?.trim());
};

const isExported = (node) => node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** A name for a declaration, for messages. */
function nameOf(node) {
  if (node.name) return node.name.getText();
  if (ts.isVariableStatement(node))
    return node.declarationList.declarations.map((d) => d.name.getText()).join(', ');
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  return ts.SyntaxKind[node.kind];
}

/** The gaps of one .d.ts text: [{line, name, missing}]. */
export function check(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const gaps = [];
  const gap = (node, name, missing) =>
    gaps.push({
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
      name,
      missing,
    });

  const visitMembers = (owner, members) => {
    for (const m of members) {
      if (ts.isIndexSignatureDeclaration(m)) continue;
      if (m.modifiers?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword)) continue;
      const d = docs(m).at(-1);
      if (!d || !hasText(d)) gap(m, `${owner}.${nameOf(m)}`, 'a docblock');
    }
  };

  const visit = (node) => {
    if (ts.isModuleDeclaration(node)) {
      // `declare global { … }`: augments DOM types, nothing of ours to document.
      return;
    }
    if (!isExported(node)) return;
    const name = nameOf(node);
    const d = docs(node).at(-1);
    if (!d || !hasText(d)) gap(node, name, 'a docblock');
    else if (
      !(d.tags ?? []).some(
        (t) => t.tagName.text === 'example' && ts.getTextOfJSDocComment(t.comment)?.trim(),
      )
    ) {
      gap(node, name, 'an @example');
    }
    if (ts.isClassDeclaration(node)) visitMembers(name, node.members);
  };
  sf.statements.forEach(visit);
  return gaps;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files =
    process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_FILES.map((f) => path.join(root, f));
  let count = 0;
  for (const file of files) {
    for (const g of check(file, fs.readFileSync(file, 'utf8'))) {
      console.error(`${path.relative(root, file)}:${g.line}: ${g.name} lacks ${g.missing}`);
      count++;
    }
  }
  if (count) {
    console.error(`check-docblocks: ${count} gaps: every export needs a docblock with an @example`);
    process.exit(1);
  }
  console.log(`check-docblocks: ${files.length} files, every export documented with an example`);
}
