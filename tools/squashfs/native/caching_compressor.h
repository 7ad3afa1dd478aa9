#pragma once

#include "block_cache.h"
#include "sqfs_handles.h"

namespace levitate {

// Wraps a compressor so that every block it compresses is first looked up in `cache`, by the
// SHA-256 of the block, the output capacity and everything the compressed bytes depend on (the
// compressor's configuration and the compression libraries). A hit copies the stored result; a
// miss compresses with `inner` and stores the result, including "did not shrink". Compression
// is deterministic, so the image is the same bytes either way. Copies (one per block processor
// worker) share the cache, which must outlive them all. Takes ownership of `inner`; returns
// nullptr (and destroys `inner`) when out of memory.
sqfs_compressor_t *CacheCompressedBlocks(sqfs_compressor_t *inner, BlockCache *cache);

}  // namespace levitate
