import { describe, expect, it } from 'vitest';
import { withSourceLocation } from './source-location-plugin.ts';

const LOCATION = 'new URL("../src/x.ts", import.meta.url).href';

describe('withSourceLocation', () => {
  it('rewrites each import.meta.url expression', () => {
    const text = "const a = new URL('./a.sh', import.meta.url);\nconst b = import.meta.url;\n";
    expect(withSourceLocation('x.ts', text, LOCATION)).toBe(
      `const a = new URL('./a.sh', ${LOCATION});\nconst b = ${LOCATION};\n`,
    );
  });

  it('leaves the words alone in strings, templates and comments', () => {
    const text = [
      "const banner = 'require(import.meta.url)';",
      'const help = `see import.meta.url ${import.meta.url}`;',
      '// import.meta.url in a comment',
      'const other = import.meta.dirname;',
      '',
    ].join('\n');
    expect(withSourceLocation('x.ts', text, LOCATION)).toBe(
      text.replace('${import.meta.url}', `\${${LOCATION}}`),
    );
  });
});
