/** What an artifact is made from: text, numbers and bytes, in a fixed order. */
export type ArtifactInput = string | number | Uint8Array;

/**
 * Keeps what a build step made, by the digest of everything it was made from, so that a build
 * whose inputs did not change copies the result instead of making it again. The same inputs
 * give the same bytes, so the build's output does not depend on what the cache holds.
 */
export interface ArtifactCache {
  /**
   * Puts into `output` the file `make` writes there from what `inputs` gives: copied from the
   * cache when the same inputs (and the same builder code) made it before, otherwise made now
   * and kept. `inputs` is only called when there is a cache to look in.
   */
  file(
    artifact: string,
    inputs: () => Promise<readonly ArtifactInput[]>,
    output: string,
    make: () => Promise<void>,
  ): Promise<void>;
}

/** No cache: every artifact is made. */
export const MAKE_EVERY_TIME: ArtifactCache = {
  file: (_artifact, _inputs, _output, make) => make(),
};
