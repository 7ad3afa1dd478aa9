import { dirname, join, sep } from 'node:path';
import type { Plugin } from 'esbuild';

const ZOD = `${sep}node_modules${sep}zod${sep}`;
const NAMESPACE = 'zod-english-only';

/**
 * Keeps only zod's English messages in a bundle. zod exports every translation of its error
 * messages (`z.locales`, a third of its code) and configures English; the tools never
 * configure another, so `z.locales` is bundled with `en` alone and the others are left out.
 */
export function englishOnlyPlugin(): Plugin {
  return {
    name: NAMESPACE,
    setup(build) {
      build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        args.importer.includes(ZOD)
          ? {
              path: join(dirname(args.importer), '..', 'locales', 'index.js'),
              namespace: NAMESPACE,
            }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: 'export { default as en } from "./en.js";\n',
        resolveDir: dirname(args.path),
        loader: 'js',
      }));
    },
  };
}
