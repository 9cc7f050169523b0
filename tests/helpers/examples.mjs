// Documentation examples as tests: an example's imports become reads of the loaded package, and
// each `expression; // LITERAL …` line also records the expression's value beside the literal it
// promises, so that the README and the docblocks cannot drift from what the API does.

const LITERAL = /^(\s*)(.+?);\s*\/\/\s*(-?\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|true|false)(?=$|[\s:,])/;

/**
 * The example `code` as the body of an async function run in the API page (window.outtake is
 * the package): `{body, checks}`, checks being how many lines promise a value.
 */
export function instrument(code) {
  let checks = 0;
  const body = code
    .replace(/import \{([^}]*)\} from 'outtake';/g, 'const {$1} = window.outtake;')
    .replace(
      /import \{([^}]*)\} from 'outtake\/editor';/g,
      "const {$1} = await import('/pkg/editor.js');",
    )
    .replace(/import 'outtake\/editor';/g, "await import('/pkg/editor.js');")
    .split('\n')
    .map((line) => {
      const m = LITERAL.exec(line);
      if (!m) return line;
      checks++;
      return `${m[1]}window.__check(${JSON.stringify(m[2])}, ${m[2]}, ${m[3]});`;
    })
    .join('\n');
  return { body, checks };
}

/**
 * Runs an instrumented body in `page`; `files` maps names the example fetches (`clip.srt`) to
 * text or to a URL to fetch instead. Resolves to {seen: [{expr, got, want}], error}.
 */
export function runExample(page, body, files = {}) {
  return page.evaluate(
    async ({ body, files }) => {
      const realFetch = window.fetch;
      window.fetch = async (u, ...rest) => {
        const name = Object.keys(files).find((f) => String(u).endsWith(f));
        if (name === undefined) return realFetch(u, ...rest);
        const { text, url } = files[name];
        return url ? realFetch(url) : new Response(text);
      };
      const seen = [];
      window.__check = (expr, got, want) =>
        seen.push({ expr, got: got instanceof Error ? String(got) : got, want });
      try {
        await new (Object.getPrototypeOf(async () => {}).constructor)(body)();
        return { seen };
      } catch (e) {
        return { seen, error: `${e.name} ${e.code || ''}: ${e.message}` };
      } finally {
        window.fetch = realFetch;
      }
    },
    { body, files },
  );
}
