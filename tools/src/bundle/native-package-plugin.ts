import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Plugin } from 'esbuild';

/** Dependencies that mark a package as a native addon: they find a `.node` file at run time. */
const ADDON_LOADERS = new Set([
  'bindings',
  'nan',
  'node-addon-api',
  'node-gyp-build',
  'node-gyp-build-optional-packages',
  'prebuild-install',
  '@mapbox/node-pre-gyp',
]);

interface PackageJson {
  readonly gypfile?: boolean;
  readonly binary?: unknown;
  readonly dependencies?: Record<string, string>;
}

/** Whether the package holding `file` loads a compiled addon. */
function isAddonPackage(file: string, cache: Map<string, boolean>): boolean {
  const parts = file.split(sep);
  const modules = parts.lastIndexOf('node_modules');
  if (modules < 0) return false;
  const nameLength = parts[modules + 1]?.startsWith('@') ? 2 : 1;
  const root = parts.slice(0, modules + 1 + nameLength).join(sep);
  const known = cache.get(root);
  if (known !== undefined) return known;
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const addon =
    manifest.gypfile === true ||
    manifest.binary !== undefined ||
    Object.keys(manifest.dependencies ?? {}).some((name) => ADDON_LOADERS.has(name));
  cache.set(root, addon);
  return addon;
}

const RESOLVING = Symbol('resolving');

/**
 * Leaves packages with native addons out of the bundle (they look for their `.node` file next
 * to their own code), imported by their path relative to the bundle's folder: the copy the
 * importing module would have found, not whichever one is hoisted nearest the bundle.
 * Every other package is bundled, resolved from the module that imports it.
 */
export function nativePackagePlugin(outDir: string): Plugin {
  const cache = new Map<string, boolean>();
  return {
    name: 'native-package',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === RESOLVING || args.path.startsWith('node:')) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: RESOLVING,
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (resolved.external || !isAddonPackage(resolved.path, cache)) return undefined;
        const path = relative(outDir, resolved.path).split(sep).join('/');
        return { path: path.startsWith('.') ? path : `./${path}`, external: true };
      });
    },
  };
}
