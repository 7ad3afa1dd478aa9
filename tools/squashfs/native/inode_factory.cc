#include "inode_factory.h"

#include <cstring>
#include <string>

namespace levitate {

namespace {

OwnInode Allocate(uint32_t type, size_t extraBytes) {
  void *memory = std::calloc(1, sizeof(sqfs_inode_generic_t) + extraBytes);
  OwnInode inode(static_cast<sqfs_inode_generic_t *>(memory));
  if (inode) {
    inode->base.type = static_cast<sqfs_u16>(type);
    inode->payload_bytes_available = static_cast<sqfs_u32>(extraBytes);
  }
  return inode;
}

}  // namespace

sqfs_u16 TypeModeBits(uint32_t type) {
  switch (type) {
    case SQFS_INODE_DIR:
      return SQFS_INODE_MODE_DIR;
    case SQFS_INODE_FILE:
      return SQFS_INODE_MODE_REG;
    case SQFS_INODE_SLINK:
      return SQFS_INODE_MODE_LNK;
    case SQFS_INODE_BDEV:
      return SQFS_INODE_MODE_BLK;
    case SQFS_INODE_CDEV:
      return SQFS_INODE_MODE_CHR;
    case SQFS_INODE_FIFO:
      return SQFS_INODE_MODE_FIFO;
    case SQFS_INODE_SOCKET:
      return SQFS_INODE_MODE_SOCK;
    default:
      return 0;
  }
}

Status MakeSpecialInode(const Plan &plan, size_t record, OwnInode *out) {
  uint32_t type = plan.Get(record, Plan::kType);
  uint32_t nlink = plan.Get(record, Plan::kNlink);
  OwnInode inode;

  switch (type) {
    case SQFS_INODE_SLINK: {
      uint32_t offset = plan.Get(record, Plan::kA);
      uint32_t length = plan.Get(record, Plan::kB);
      if (!plan.InBlob(offset, length) || length == 0) {
        return Status::Error("symlink target outside the plan");
      }
      inode = Allocate(type, length);
      if (!inode) break;
      inode->payload_bytes_used = length;
      inode->data.slink.nlink = nlink;
      inode->data.slink.target_size = length;
      std::memcpy(inode->extra, plan.blob.data() + offset, length);
      break;
    }
    case SQFS_INODE_BDEV:
    case SQFS_INODE_CDEV:
      inode = Allocate(type, 0);
      if (!inode) break;
      inode->data.dev.nlink = nlink;
      inode->data.dev.devno = plan.Get(record, Plan::kA);
      break;
    case SQFS_INODE_FIFO:
    case SQFS_INODE_SOCKET:
      inode = Allocate(type, 0);
      if (!inode) break;
      inode->data.ipc.nlink = nlink;
      break;
    default:
      return Status::Error("unexpected inode type " + std::to_string(type));
  }

  if (!inode) {
    return Status::Error("out of memory");
  }
  *out = std::move(inode);
  return Status::Ok();
}

}  // namespace levitate
