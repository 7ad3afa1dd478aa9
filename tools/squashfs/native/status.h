#pragma once

#include <string>
#include <utility>

namespace levitate {

// Outcome of an operation that may fail with a human readable message.
class Status {
 public:
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !failed_; }
  const std::string &message() const { return message_; }

 private:
  Status() = default;
  explicit Status(std::string message) : failed_(true), message_(std::move(message)) {}

  bool failed_ = false;
  std::string message_;
};

// Name and description of a libsquashfs SQFS_ERROR code, e.g. "SQFS_ERROR_IO (input/output error)".
std::string DescribeSqfsError(int code);

}  // namespace levitate
