export { codecFromName, codecFromRpmCompressor, detectCodec } from './codec.ts';
export type { Codec } from './codec.ts';
export { decompressBuffer, decompressStream, decompressor } from './decompress.ts';
