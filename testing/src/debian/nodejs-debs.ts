/**
 * Debian's Node.js: the program, the JavaScript modules libnode loads from /usr/share/nodejs
 * (the CommonJS lexer of the ES module loader, undici behind fetch, acorn), and libnode, which
 * a Debian 12 host lacks and is fetched and searched first (its own libraries, c-ares among
 * them, come from the host: .ci/setup installs them).
 */
export const NODEJS_DEBS: readonly string[] = [
  'nodejs',
  'node-cjs-module-lexer',
  'node-undici',
  'node-busboy',
  'node-acorn',
  'node-xtend',
];

export const NODEJS_LIBRARY_DEBS: readonly string[] = ['libnode108'];
