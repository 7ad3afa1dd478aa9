/**
 * The reference squashfs writer the benchmarks compare with: mksquashfs with the compressor and
 * level the images use (zstd 15), quiet, into a new image.
 */
export function mksquashfsArgv(source: string, image: string): string[] {
  return [
    'mksquashfs',
    source,
    image,
    '-comp',
    'zstd',
    '-Xcompression-level',
    '15',
    '-noappend',
    '-quiet',
    '-no-progress',
  ];
}
