// Writes each given JS file into OUT_DIR without its comments, for the package: the comments are
// for those who work on js/, and the types (*.d.ts) carry the API's docs to editors. TypeScript
// parses the file, so comment-like text in strings and templates stays as it is.
//   node scripts/strip-comments.mjs OUT_DIR FILE...
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const [out, ...files] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
for (const f of files) {
  const { outputText, diagnostics } = ts.transpileModule(fs.readFileSync(f, 'utf8'), {
    compilerOptions: {
      target: ts.ScriptTarget.ESNext,
      module: ts.ModuleKind.ESNext,
      removeComments: true,
      allowJs: true,
    },
    fileName: f,
    reportDiagnostics: true,
  });
  if (diagnostics?.length) {
    console.error(
      `strip-comments: ${f}: ${ts.flattenDiagnosticMessageText(diagnostics[0].messageText, '\n')}`,
    );
    process.exit(1);
  }
  const to = path.join(out, path.basename(f));
  // Written only when it differs, so that its time (and the demo's stamp) stays put.
  if (!fs.existsSync(to) || fs.readFileSync(to, 'utf8') !== outputText)
    fs.writeFileSync(to, outputText);
}
