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
};

// Reads every entry of the image at `path`, sorted by path, hashing each file's content.
Status ReadTree(const std::string &path, std::vector<ReadEntry> *out);

// readTree(path): Promise<entries>, read on the libuv pool.
void RegisterTreeReader(Napi::Env env, Napi::Object exports);

}  // namespace levitate
