#pragma once

#include "sha256.h"

namespace levitate {

// SHA-256 over the files of the compression libraries loaded in this process (libsquashfs and
// the codecs it links: zstd, xz, zlib, lz4, lzo), computed once. Compressed bytes are only as
// stable as these libraries, so cached blocks are keyed by it.
const Digest &CompressionLibrariesDigest();

}  // namespace levitate
