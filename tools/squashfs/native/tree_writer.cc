#include "tree_writer.h"

#include "inode_factory.h"

#include <cstring>
#include <string>
#include <vector>

namespace levitate {

namespace {

constexpr sqfs_u32 kNoXattr = 0xFFFFFFFFu;

class TreeWriter {
 public:
  TreeWriter(const Plan &plan, const FileInodes &files, const MetadataSinks &sinks)
      : plan_(plan),
        files_(files),
        sinks_(sinks),
        refs_(plan.RecordCount(), 0),
        fileUsed_(files.size(), false),
        xattrCache_(plan.xattrSets.size() / Plan::kXattrSetStride, kUnresolved) {}

  Status Run(TreeOutcome *outcome) {
    size_t count = plan_.RecordCount();
    if (count == 0 || count > 0xFFFFFFF0u) {
      return Status::Error("invalid inode count " + std::to_string(count));
    }
    for (size_t record = 0; record < count; ++record) {
      Status status = WriteRecord(record);
      if (!status.ok()) return status;
    }
    size_t root = count - 1;
    if (plan_.Get(root, Plan::kType) != SQFS_INODE_DIR) {
      return Status::Error("the last inode of the plan is not the root directory");
    }
    outcome->rootRef = refs_[root];
    outcome->rootInode = static_cast<sqfs_u32>(count);
    outcome->inodeCount = static_cast<sqfs_u32>(count);
    return Status::Ok();
  }

 private:
  static constexpr int64_t kUnresolved = -1;

  static Status Sqfs(int code, const std::string &what) {
    return Status::Error(what + ": " + DescribeSqfsError(code));
  }

  Status WriteRecord(size_t record) {
    uint32_t type = plan_.Get(record, Plan::kType);
    sqfs_u32 xattr = kNoXattr;
    Status status = ResolveXattrs(plan_.Get(record, Plan::kXattrSet), &xattr);
    if (!status.ok()) return status;

    OwnInode own;
    LibraryInode listing;
    sqfs_inode_generic_t *inode = nullptr;

    if (type == SQFS_INODE_DIR) {
      status = WriteListing(record, xattr, &listing);
      inode = listing.get();
    } else if (type == SQFS_INODE_FILE) {
      status = TakeFileInode(record, &inode);
    } else {
      status = MakeSpecialInode(plan_, record, &own);
      inode = own.get();
    }
    if (!status.ok()) return status;

    if (xattr != kNoXattr && type != SQFS_INODE_DIR) {
      int err = sqfs_inode_set_xattr_index(inode, xattr);
      if (err) return Sqfs(err, "setting xattr index of inode " + std::to_string(record + 1));
    }
    return Emit(record, inode);
  }

  Status TakeFileInode(size_t record, sqfs_inode_generic_t **out) {
    uint32_t slot = plan_.Get(record, Plan::kA);
    if (slot >= files_.size() || fileUsed_[slot] || files_.Get(slot) == nullptr) {
      return Status::Error("file data slot " + std::to_string(slot) + " is missing or reused");
    }
    fileUsed_[slot] = true;
    sqfs_inode_generic_t *inode = files_.Get(slot);
    uint32_t nlink = plan_.Get(record, Plan::kNlink);
    if (nlink > 1) {
      int err = sqfs_inode_make_extended(inode);
      if (err) return Sqfs(err, "extending file inode");
      inode->data.file_ext.nlink = nlink;
    }
    *out = inode;
    return Status::Ok();
  }

  Status WriteListing(size_t record, sqfs_u32 xattr, LibraryInode *out) {
    uint32_t first = plan_.Get(record, Plan::kA);
    uint32_t count = plan_.Get(record, Plan::kB);
    size_t entryCount = plan_.entries.size() / Plan::kEntryStride;
    if (first > entryCount || count > entryCount - first) {
      return Status::Error("directory entries outside the plan");
    }

    int err = sqfs_dir_writer_begin(sinks_.directories, 0);
    if (err) return Sqfs(err, "starting a directory listing");

    std::string previous;
    for (uint32_t i = first; i < first + count; ++i) {
      const uint32_t *entry = &plan_.entries[i * Plan::kEntryStride];
      uint32_t child = entry[0];
      if (child >= record || !plan_.InBlob(entry[1], entry[2]) || entry[2] == 0) {
        return Status::Error("malformed directory entry in the plan");
      }
      std::string name(reinterpret_cast<const char *>(plan_.blob.data() + entry[1]), entry[2]);
      if (name.find('\0') != std::string::npos || (i > first && !(previous < name))) {
        return Status::Error("directory entry names must be unique and sorted: " + name);
      }
      uint32_t childType = plan_.Get(child, Plan::kType);
      sqfs_u16 mode = static_cast<sqfs_u16>(TypeModeBits(childType) |
                                            (plan_.Get(child, Plan::kMode) & 07777));
      err = sqfs_dir_writer_add_entry(sinks_.directories, name.c_str(),
                                      static_cast<sqfs_u32>(child + 1), refs_[child], mode);
      if (err) return Sqfs(err, "adding directory entry " + name);
      previous = std::move(name);
    }

    err = sqfs_dir_writer_end(sinks_.directories);
    if (err) return Sqfs(err, "finishing a directory listing");

    LibraryInode inode(sqfs_dir_writer_create_inode(sinks_.directories, 0, xattr,
                                                    plan_.Get(record, Plan::kC)));
    if (!inode) return Status::Error("creating a directory inode: out of memory");

    // The dir writer counts every entry as a link; use the POSIX count (2 + subdirectories).
    uint32_t nlink = plan_.Get(record, Plan::kNlink);
    if (inode->base.type == SQFS_INODE_DIR) {
      inode->data.dir.nlink = nlink;
    } else {
      inode->data.dir_ext.nlink = nlink;
    }
    *out = std::move(inode);
    return Status::Ok();
  }

  Status ResolveXattrs(uint32_t set, sqfs_u32 *out) {
    if (set == Plan::kNoXattrs) return Status::Ok();
    if (set >= xattrCache_.size()) return Status::Error("xattr set outside the plan");
    if (xattrCache_[set] != kUnresolved) {
      *out = static_cast<sqfs_u32>(xattrCache_[set]);
      return Status::Ok();
    }

    uint32_t first = plan_.xattrSets[set * Plan::kXattrSetStride];
    uint32_t count = plan_.xattrSets[set * Plan::kXattrSetStride + 1];
    size_t pairCount = plan_.xattrPairs.size() / Plan::kXattrPairStride;
    if (first > pairCount || count > pairCount - first) {
      return Status::Error("xattr pairs outside the plan");
    }

    int err = sqfs_xattr_writer_begin(sinks_.xattrs, 0);
    if (err) return Sqfs(err, "starting an xattr block");
    for (uint32_t i = first; i < first + count; ++i) {
      const uint32_t *pair = &plan_.xattrPairs[i * Plan::kXattrPairStride];
      if (!plan_.InBlob(pair[0], pair[1]) || !plan_.InBlob(pair[2], pair[3])) {
        return Status::Error("xattr data outside the plan");
      }
      std::string key(reinterpret_cast<const char *>(plan_.blob.data() + pair[0]), pair[1]);
      err = sqfs_xattr_writer_add(sinks_.xattrs, key.c_str(), plan_.blob.data() + pair[2],
                                  pair[3]);
      if (err) return Sqfs(err, "adding xattr " + key);
    }
    sqfs_u32 index = kNoXattr;
    err = sqfs_xattr_writer_end(sinks_.xattrs, &index);
    if (err) return Sqfs(err, "finishing an xattr block");

    xattrCache_[set] = index;
    *out = index;
    return Status::Ok();
  }

  Status Emit(size_t record, sqfs_inode_generic_t *inode) {
    uint32_t type = plan_.Get(record, Plan::kType);
    int err = sqfs_id_table_id_to_index(sinks_.ids, plan_.Get(record, Plan::kUid),
                                        &inode->base.uid_idx);
    if (!err) {
      err = sqfs_id_table_id_to_index(sinks_.ids, plan_.Get(record, Plan::kGid),
                                      &inode->base.gid_idx);
    }
    if (err) return Sqfs(err, "recording owner ids (at most 65536 distinct ids)");

    inode->base.mode =
        static_cast<sqfs_u16>(TypeModeBits(type) | (plan_.Get(record, Plan::kMode) & 07777));
    inode->base.mod_time = plan_.Get(record, Plan::kMtime);
    inode->base.inode_number = static_cast<sqfs_u32>(record + 1);

    sqfs_u64 block = 0;
    sqfs_u32 offset = 0;
    sqfs_meta_writer_get_position(sinks_.inodes, &block, &offset);
    refs_[record] = (block << 16) | offset;

    err = sqfs_meta_writer_write_inode(sinks_.inodes, inode);
    if (err) return Sqfs(err, "writing inode " + std::to_string(record + 1));
    return Status::Ok();
  }

  const Plan &plan_;
  const FileInodes &files_;
  const MetadataSinks &sinks_;
  std::vector<sqfs_u64> refs_;
  std::vector<bool> fileUsed_;
  std::vector<int64_t> xattrCache_;
};

}  // namespace

Status WriteTree(const Plan &plan, const FileInodes &files, const MetadataSinks &sinks,
                 TreeOutcome *outcome) {
  TreeWriter writer(plan, files, sinks);
  return writer.Run(outcome);
}

}  // namespace levitate
