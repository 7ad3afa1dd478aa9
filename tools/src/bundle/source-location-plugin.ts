import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { Plugin } from 'esbuild';

/** `import.meta.url` as written, not inside a longer name. */
const IMPORT_META_URL = /\bimport\.meta\.url\b/g;

/**
 * Keeps `import.meta.url` meaning the source file it is written in. The workspace's modules
 * find their neighbours through it (the variants folder, the install scripts, the init script,
 * native addons through `createRequire`); in a bundle it would name the bundle instead. Each
 * use becomes the source file's location relative to the bundle's folder, so the bundle works
 * wherever the checkout is, as long as it stays in the folder it was built for.
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
        return { contents: text.replace(IMPORT_META_URL, location), loader: 'ts' };
      });
    },
  };
}
