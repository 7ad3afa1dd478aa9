#pragma once

#include "sqfs_handles.h"

#include <cstddef>
#include <deque>

namespace levitate {

// Stable storage for the file inodes the block processor creates and keeps growing until it
// has finished; the processor holds pointers into this container, so it must outlive it.
class FileInodes {
 public:
  FileInodes() = default;
  FileInodes(const FileInodes &) = delete;
  FileInodes &operator=(const FileInodes &) = delete;
  ~FileInodes() {
    for (sqfs_inode_generic_t *inode : slots_) sqfs_free(inode);
  }

  sqfs_inode_generic_t **Add() {
    slots_.push_back(nullptr);
    return &slots_.back();
  }
  size_t size() const { return slots_.size(); }
  sqfs_inode_generic_t *Get(size_t index) const { return slots_[index]; }

 private:
  std::deque<sqfs_inode_generic_t *> slots_;
};

}  // namespace levitate
