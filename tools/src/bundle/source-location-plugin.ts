import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { Plugin } from 'esbuild';
import ts from 'typescript';

/** Where each `import.meta.url` expression of a module starts and ends, in source order. */
function importMetaUrlSpans(file: string, text: string): { start: number; end: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const spans: { start: number; end: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === 'url' &&
      ts.isMetaProperty(node.expression) &&
      node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
    ) {
      spans.push({ start: node.getStart(source), end: node.getEnd() });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return spans;
}

/** The module with every `import.meta.url` expression, and only those, replaced. */
export function withSourceLocation(file: string, text: string, location: string): string {
  let out = '';
  let at = 0;
  for (const span of importMetaUrlSpans(file, text)) {
    out += text.slice(at, span.start) + location;
    at = span.end;
  }
  return out + text.slice(at);
}

/**
 * Keeps `import.meta.url` meaning the source file it is written in. The workspace's modules
 * find their neighbours through it (the variants folder, the install scripts, the init script,
 * native addons through `createRequire`); in a bundle it would name the bundle instead. Each
 * use becomes the source file's location relative to the bundle's folder, so the bundle works
 * wherever the checkout is, as long as it stays in the folder it was built for. Only the
 * expression is rewritten: the same words in a string or a comment stay as written.
 */
export function sourceLocationPlugin(outDir: string): Plugin {
  return {
    name: 'source-location',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const fromBundle = relative(outDir, args.path).split(sep).join('/');
        const location = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
        return { contents: withSourceLocation(args.path, text, location), loader: 'ts' };
      });
    },
  };
}
