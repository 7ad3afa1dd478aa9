// @ts-check
// A program built from source: download, unpack, compile as the build user, install.
//
// Its digest is left as zeros: fill in the one you checked, or installing it fails at acquire.
//
// `// @ts-check` and the JSDoc tags let an editor check it against recipe-api.d.ts, which
// `recipe init` puts beside the recipes with a jsconfig.json.

/** @typedef {import('./recipe-api').RecipeContext} RecipeContext */

/** @satisfies {import('./recipe-api').RecipePackage} */
export const pkg = {
  name: 'zstd',
  version: '1.5.6',
  description: 'fast lossless compression',
  license: 'BSD-3-Clause OR GPL-2.0-only',
  sources: [
    {
      url: 'https://github.com/facebook/zstd/releases/download/v1.5.6/zstd-1.5.6.tar.gz',
      // The SHA-256 published with the release, checked before it is written here.
      sha256: '0000000000000000000000000000000000000000000000000000000000000000',
    },
  ],
};

const folder = `zstd-${pkg.version}`;

/** @param {RecipeContext} ctx */
export async function acquire(ctx) {
  await ctx.download(pkg.sources[0]);
}

/** @param {RecipeContext} ctx */
export async function build(ctx) {
  await ctx.extract('tar.gz');
  // No network here: everything the build needs was fetched in acquire.
  await ctx.shell(['make', '-j2', 'zstd-release'], { cwd: `${folder}/programs` });
}

/** @param {RecipeContext} ctx */
export async function install(ctx) {
  await ctx.installBin(`${folder}/programs/zstd`);
  for (const page of ['zstd.1', 'zstdgrep.1', 'zstdless.1']) {
    await ctx.installMan(`${folder}/programs/${page}`);
  }
}
