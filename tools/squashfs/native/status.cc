#include "status.h"

#include <sqfs/error.h>

namespace levitate {

namespace {

struct ErrorText {
  int code;
  const char *name;
  const char *text;
};

constexpr ErrorText kErrors[] = {
    {SQFS_ERROR_ALLOC, "SQFS_ERROR_ALLOC", "out of memory"},
    {SQFS_ERROR_IO, "SQFS_ERROR_IO", "input/output error"},
    {SQFS_ERROR_COMPRESSOR, "SQFS_ERROR_COMPRESSOR", "compressor failure"},
    {SQFS_ERROR_INTERNAL, "SQFS_ERROR_INTERNAL", "internal libsquashfs error"},
    {SQFS_ERROR_CORRUPTED, "SQFS_ERROR_CORRUPTED", "data structure is corrupted"},
    {SQFS_ERROR_UNSUPPORTED, "SQFS_ERROR_UNSUPPORTED", "unsupported feature or setting"},
    {SQFS_ERROR_OVERFLOW, "SQFS_ERROR_OVERFLOW", "numeric overflow"},
    {SQFS_ERROR_OUT_OF_BOUNDS, "SQFS_ERROR_OUT_OF_BOUNDS", "out of bounds access"},
    {SFQS_ERROR_SUPER_MAGIC, "SFQS_ERROR_SUPER_MAGIC", "bad super block magic"},
    {SFQS_ERROR_SUPER_VERSION, "SFQS_ERROR_SUPER_VERSION", "unsupported squashfs version"},
    {SQFS_ERROR_SUPER_BLOCK_SIZE, "SQFS_ERROR_SUPER_BLOCK_SIZE",
     "block size must be a power of two between 4 KiB and 1 MiB"},
    {SQFS_ERROR_NOT_DIR, "SQFS_ERROR_NOT_DIR", "not a directory"},
    {SQFS_ERROR_NO_ENTRY, "SQFS_ERROR_NO_ENTRY", "no such entry"},
    {SQFS_ERROR_LINK_LOOP, "SQFS_ERROR_LINK_LOOP", "hard link loop"},
    {SQFS_ERROR_NOT_FILE, "SQFS_ERROR_NOT_FILE", "not a regular file"},
    {SQFS_ERROR_ARG_INVALID, "SQFS_ERROR_ARG_INVALID", "invalid argument"},
    {SQFS_ERROR_SEQUENCE, "SQFS_ERROR_SEQUENCE", "functions called in the wrong order"},
};

}  // namespace

std::string DescribeSqfsError(int code) {
  for (const ErrorText &entry : kErrors) {
    if (entry.code == code) {
      return std::string(entry.name) + " (" + entry.text + ")";
    }
  }
  return "unknown libsquashfs error " + std::to_string(code);
}

}  // namespace levitate
