#pragma once

#include <sqfs/block_processor.h>
#include <sqfs/block_writer.h>
#include <sqfs/compressor.h>
#include <sqfs/dir_writer.h>
#include <sqfs/frag_table.h>
#include <sqfs/id_table.h>
#include <sqfs/inode.h>
#include <sqfs/io.h>
#include <sqfs/meta_writer.h>
#include <sqfs/predef.h>
#include <sqfs/xattr_writer.h>

#include <cstdlib>
#include <memory>

namespace levitate {

// Every libsquashfs object derives from sqfs_object_t and is released with sqfs_destroy.
struct SqfsDestroy {
  void operator()(void *object) const { sqfs_destroy(object); }
};

template <typename T>
using SqfsPtr = std::unique_ptr<T, SqfsDestroy>;

// Memory handed out by libsquashfs (inodes from the block processor and the dir writer).
struct SqfsFree {
  void operator()(void *memory) const { sqfs_free(memory); }
};

using LibraryInode = std::unique_ptr<sqfs_inode_generic_t, SqfsFree>;

// Inodes this addon allocates itself (symlinks, devices, fifos, sockets).
struct CFree {
  void operator()(void *memory) const { std::free(memory); }
};

using OwnInode = std::unique_ptr<sqfs_inode_generic_t, CFree>;

}  // namespace levitate
