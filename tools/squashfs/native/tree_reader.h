#pragma once

#include "status.h"

#include <napi.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace levitate {

// One entry of a squashfs image as libsquashfs reads it back: what a diff of two images needs.
struct ReadEntry {
  std::string path;
  std::string type;  // directory, file, symlink, char, block, fifo, socket
  uint32_t mode = 0;  // permission bits and setuid/setgid/sticky
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint32_t mtime = 0;
  uint64_t size = 0;
  std::string sha256;  // regular files: of the content
  std::string target;  // symlinks
  uint32_t major = 0;
  uint32_t minor = 0;
  uint32_t inode = 0;  // the inode number: hard links share one
  std::map<std::string, std::string> xattrs;  // key → value in hex
  // Regular files: bytes of their data blocks as stored, and their tail in a fragment block.
  uint64_t storedBlocks = 0;
  int64_t fragment = -1;  // index in the fragment table, -1 without a tail
  uint32_t tail = 0;
};

// The image as read: its entries sorted by path, and the stored size of each fragment block.
struct ReadImage {
  uint32_t blockSize = 0;
  std::vector<ReadEntry> entries;
  std::vector<uint32_t> fragments;
};

// Reads every entry of the image at `path`; with `hash`, each file's content is decompressed
// and hashed too (without, only the tables are read).
Status ReadTree(const std::string &path, bool hash, ReadImage *out);

// readTree(path, hash): Promise<{ blockSize, entries, fragments }>, read on the libuv pool.
void RegisterTreeReader(Napi::Env env, Napi::Object exports);

}  // namespace levitate
