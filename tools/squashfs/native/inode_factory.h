#pragma once

#include "plan.h"
#include "sqfs_handles.h"
#include "status.h"

namespace levitate {

// S_IFMT bits for a basic SQFS_INODE_* type, 0 for anything else.
sqfs_u16 TypeModeBits(uint32_t type);

// Builds the inode of a symlink, device, fifo or socket record (everything the addon allocates
// itself rather than getting from the block processor or the dir writer).
Status MakeSpecialInode(const Plan &plan, size_t record, OwnInode *out);

}  // namespace levitate
