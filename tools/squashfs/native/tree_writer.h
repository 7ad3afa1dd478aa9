#pragma once

#include "file_inodes.h"
#include "plan.h"
#include "sqfs_handles.h"
#include "status.h"

namespace levitate {

struct MetadataSinks {
  sqfs_meta_writer_t *inodes;
  sqfs_dir_writer_t *directories;
  sqfs_id_table_t *ids;
  sqfs_xattr_writer_t *xattrs;
};

struct TreeOutcome {
  sqfs_u64 rootRef = 0;
  sqfs_u32 rootInode = 0;
  sqfs_u32 inodeCount = 0;
};

// Writes every inode of the plan to the inode table and every directory listing to the
// directory table, in plan order. The last record must be the root directory.
Status WriteTree(const Plan &plan, const FileInodes &files, const MetadataSinks &sinks,
                 TreeOutcome *outcome);

}  // namespace levitate
