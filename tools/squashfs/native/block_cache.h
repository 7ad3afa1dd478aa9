#pragma once

#include "sha256.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>

namespace levitate {

struct BlockCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  // Entries found damaged (wrong length or digest): counted as misses too, and written again.
  uint64_t rejected = 0;
  // Entries that could not be written (full disk, permissions): the build goes on without them.
  uint64_t storeFailures = 0;
  // Uncompressed bytes whose compression a hit saved, and bytes that were compressed.
  uint64_t reusedBytes = 0;
  uint64_t compressedBytes = 0;
};

// Results of compressing blocks, one file per block named by its key in a two-level folder
// (`ab/abcdef…`). An entry is a header (magic, payload length, SHA-256 of key and payload)
// followed by the payload: the compressed block, or nothing when compression did not shrink
// the block. Entries are written to a temporary name (`.tmp-<pid>-<n>`) and renamed, so
// concurrent writers, threads or processes, never expose half an entry; a hit sets the entry's
// times to now, which is what least-recently-used eviction (done elsewhere) goes by.
// Thread safe.
class BlockCache {
 public:
  explicit BlockCache(std::string folder) : folder_(std::move(folder)) {}

  // Copies a sound entry's payload into `out` and sets *size (0: store the block as it is).
  // A missing, damaged or too large entry is a miss.
  bool Fetch(const Digest &key, uint32_t inputSize, uint8_t *out, uint32_t capacity,
             uint32_t *size);
  // Records the outcome of compressing a block that missed.
  void Keep(const Digest &key, uint32_t inputSize, const uint8_t *payload, uint32_t size);

  BlockCacheStats Stats() const;

 private:
  std::string EntryPath(const std::string &hex) const;
  bool Write(const std::string &hex, const Digest &key, const uint8_t *payload, uint32_t size);

  std::string folder_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::atomic<uint64_t> rejected_{0};
  std::atomic<uint64_t> storeFailures_{0};
  std::atomic<uint64_t> reusedBytes_{0};
  std::atomic<uint64_t> compressedBytes_{0};
};

}  // namespace levitate
