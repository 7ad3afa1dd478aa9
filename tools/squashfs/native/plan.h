#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace levitate {

// Flat description of every inode in write order, produced by src/plan.ts. Inode number of
// record i is i + 1; children always precede the directory that lists them.
struct Plan {
  // records: stride kRecordStride, fields below. entries: (record, nameOffset, nameLength).
  // xattrSets: (pairStart, pairCount). xattrPairs: (keyOffset, keyLength, valueOffset,
  // valueLength). All offsets point into blob.
  static constexpr size_t kRecordStride = 10;
  static constexpr size_t kEntryStride = 3;
  static constexpr size_t kXattrSetStride = 2;
  static constexpr size_t kXattrPairStride = 4;
  static constexpr uint32_t kNoXattrs = 0xFFFFFFFFu;

  enum Field : size_t {
    kType = 0,   // SQFS_INODE_DIR .. SQFS_INODE_SOCKET (basic types)
    kMode = 1,   // permission bits only
    kUid = 2,
    kGid = 3,
    kMtime = 4,
    kNlink = 5,
    kXattrSet = 6,  // index into xattrSets or kNoXattrs
    kA = 7,         // file: data slot; symlink: target offset; device: devno; dir: first entry
    kB = 8,         // symlink: target length; dir: entry count
    kC = 9,         // dir: parent inode number
  };

  std::vector<uint32_t> records;
  std::vector<uint32_t> entries;
  std::vector<uint32_t> xattrSets;
  std::vector<uint32_t> xattrPairs;
  std::vector<uint8_t> blob;

  size_t RecordCount() const { return records.size() / kRecordStride; }
  uint32_t Get(size_t record, Field field) const {
    return records[record * kRecordStride + field];
  }
  bool InBlob(uint32_t offset, uint32_t length) const {
    return offset <= blob.size() && length <= blob.size() - offset;
  }
};

}  // namespace levitate
