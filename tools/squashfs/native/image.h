#pragma once

#include "block_cache.h"
#include "file_inodes.h"
#include "plan.h"
#include "sqfs_handles.h"
#include "status.h"

#include <sqfs/super.h>

#include <cstdint>
#include <memory>
#include <string>

namespace levitate {

struct ImageOptions {
  SQFS_COMPRESSOR compressor = SQFS_COMP_XZ;
  bool hasLevel = false;
  uint32_t level = 0;
  bool bcjX86 = false;
  uint32_t blockSize = SQFS_DEFAULT_BLOCK_SIZE;
  uint32_t mkfsTime = 0;
  uint32_t workers = 1;
  bool exportable = false;
  // Folder of compressed blocks to reuse and add to; empty: compress every block.
  std::string blockCache;
};

struct ImageSummary {
  uint64_t bytes = 0;
  uint32_t inodes = 0;
  bool usedBlockCache = false;
  BlockCacheStats blockCache;
};

// One squashfs image being written. File data streams through the block processor as it
// arrives; Finish() writes the inode, directory, fragment, export, id and xattr tables and the
// super block. Not thread safe: callers serialise access (it may move between threads).
class Image {
 public:
  static Status Create(const std::string &path, const ImageOptions &options,
                       std::unique_ptr<Image> *out);
  Image(const Image &) = delete;
  Image &operator=(const Image &) = delete;
  ~Image();

  // Starts a regular file; its inode is kept in data slot *slot for the plan to refer to.
  Status BeginFile(uint32_t *slot);
  Status Append(const uint8_t *data, size_t size);
  Status EndFile();

  Status Finish(const Plan &plan, ImageSummary *summary);

 private:
  Image(std::string path, const ImageOptions &options);
  Status Open();
  Status FinishTables(const Plan &plan);
  Status Fail(int code, const std::string &what) const;

  std::string path_;
  ImageOptions options_;
  sqfs_super_t super_{};
  bool wroteCompressorOptions_ = false;
  bool fileOpen_ = false;

  // Declaration order is teardown order reversed: the block processor goes first.
  std::unique_ptr<BlockCache> blockCache_;
  SqfsPtr<sqfs_file_t> file_;
  SqfsPtr<sqfs_compressor_t> compressor_;
  SqfsPtr<sqfs_compressor_t> uncompressor_;
  SqfsPtr<sqfs_block_writer_t> blockWriter_;
  SqfsPtr<sqfs_frag_table_t> fragments_;
  FileInodes files_;
  SqfsPtr<sqfs_block_processor_t> processor_;
};

}  // namespace levitate
