// @ts-check
// A program released as a static binary: download, unpack, install.
//
// Its digest is left as zeros: fill in the one you checked, or installing it fails at acquire.
//
// `// @ts-check` and the JSDoc tags let an editor check it against recipe-api.d.ts, which
// `recipe init` puts beside the recipes with a jsconfig.json.

/** @typedef {import('./recipe-api').RecipeContext} RecipeContext */

/** @satisfies {import('./recipe-api').RecipePackage} */
export const pkg = {
  name: 'ripgrep',
  version: '14.1.0',
  description: 'recursively search folders for a regular expression',
  license: 'MIT OR Unlicense',
  sources: [
    {
      url: 'https://github.com/BurntSushi/ripgrep/releases/download/14.1.0/ripgrep-14.1.0-x86_64-unknown-linux-musl.tar.gz',
      // The SHA-256 published with the release, checked before it is written here.
      sha256: '0000000000000000000000000000000000000000000000000000000000000000',
    },
  ],
};

const folder = `ripgrep-${pkg.version}-x86_64-unknown-linux-musl`;

/** @param {RecipeContext} ctx */
export async function acquire(ctx) {
  await ctx.download(pkg.sources[0]);
}

/** @param {RecipeContext} ctx */
export async function install(ctx) {
  await ctx.extract('tar.gz');
  await ctx.installBin(`${folder}/rg`);
  await ctx.installMan(`${folder}/doc/rg.1`);
  await ctx.installFile(
    `${folder}/complete/rg.bash`,
    '/usr/local/share/bash-completion/completions/rg',
  );
}
