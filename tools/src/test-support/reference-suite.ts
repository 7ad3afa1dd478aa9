import { describe, it } from 'vitest';
import type { TestFunction } from 'vitest';
import { missingReferenceError, referenceMode } from './reference.ts';
import type { Reference } from './reference.ts';

const missing = (ref: Reference) => ({
  missingReference: { needs: ref.needs, hint: ref.hint },
});

/** `describe` for a suite that compares against `ref`. */
export function describeWithReference(ref: Reference, name: string, body: () => void): void {
  switch (referenceMode(ref)) {
    case 'run':
      describe(name, body);
      return;
    case 'skip':
      describe(name, { skip: true, meta: missing(ref) }, body);
      return;
    case 'fail':
      describe(name, { meta: missing(ref) }, () => {
        it(`needs ${ref.needs}`, () => {
          throw missingReferenceError(name, ref);
        });
      });
  }
}

/** `it` for a single test that compares against `ref`. */
export function itWithReference(
  ref: Reference,
  name: string,
  fn: TestFunction,
  timeout?: number,
): void {
  switch (referenceMode(ref)) {
    case 'run':
      it(name, { timeout }, fn);
      return;
    case 'skip':
      it(name, { skip: true, meta: missing(ref) }, fn);
      return;
    case 'fail':
      it(`${name} (needs ${ref.needs})`, { meta: missing(ref) }, () => {
        throw missingReferenceError(name, ref);
      });
  }
}
