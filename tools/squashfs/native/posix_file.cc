#include "posix_file.h"

#include <sqfs/error.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <unistd.h>
#include <vector>

namespace levitate {

namespace {

struct PosixFile {
  sqfs_file_t base;  // must stay the first member: libsquashfs casts between the two
  int fd;
  sqfs_u64 size;
  int lastErrno;
  const char *lastOperation;
};

PosixFile *AsPosix(sqfs_file_t *file) { return reinterpret_cast<PosixFile *>(file); }
const PosixFile *AsPosix(const sqfs_file_t *file) {
  return reinterpret_cast<const PosixFile *>(file);
}

int Fail(PosixFile *file, const char *operation) {
  file->lastErrno = errno;
  file->lastOperation = operation;
  return SQFS_ERROR_IO;
}

void Destroy(sqfs_object_t *object) {
  PosixFile *file = reinterpret_cast<PosixFile *>(object);
  if (file->fd >= 0) {
    close(file->fd);
  }
  delete file;
}

int ReadAt(sqfs_file_t *base, sqfs_u64 offset, void *buffer, size_t size) {
  PosixFile *file = AsPosix(base);
  if (offset > file->size || size > file->size - offset) {
    return SQFS_ERROR_OUT_OF_BOUNDS;
  }
  auto *out = static_cast<unsigned char *>(buffer);
  while (size > 0) {
    ssize_t got = pread(file->fd, out, size, static_cast<off_t>(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      return Fail(file, "pread");
    }
    if (got == 0) {
      return SQFS_ERROR_OUT_OF_BOUNDS;
    }
    out += got;
    size -= static_cast<size_t>(got);
    offset += static_cast<sqfs_u64>(got);
  }
  return 0;
}

int WriteAt(sqfs_file_t *base, sqfs_u64 offset, const void *buffer, size_t size) {
  PosixFile *file = AsPosix(base);
  const auto *in = static_cast<const unsigned char *>(buffer);
  sqfs_u64 end = offset + size;
  while (size > 0) {
    ssize_t put = pwrite(file->fd, in, size, static_cast<off_t>(offset));
    if (put < 0) {
      if (errno == EINTR) continue;
      return Fail(file, "pwrite");
    }
    in += put;
    size -= static_cast<size_t>(put);
    offset += static_cast<sqfs_u64>(put);
  }
  if (end > file->size) {
    file->size = end;
  }
  return 0;
}

sqfs_u64 GetSize(const sqfs_file_t *base) { return AsPosix(base)->size; }

int Truncate(sqfs_file_t *base, sqfs_u64 size) {
  PosixFile *file = AsPosix(base);
  if (ftruncate(file->fd, static_cast<off_t>(size)) != 0) {
    return Fail(file, "ftruncate");
  }
  file->size = size;
  return 0;
}

}  // namespace

Status OpenOutputFile(const std::string &path, SqfsPtr<sqfs_file_t> *out) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::Error(std::string("cannot create the image file: ") + std::strerror(errno));
  }
  auto *file = new (std::nothrow) PosixFile();
  if (file == nullptr) {
    close(fd);
    return Status::Error("cannot create " + path + ": out of memory");
  }
  file->base.base.destroy = Destroy;
  file->base.base.copy = nullptr;
  file->base.read_at = ReadAt;
  file->base.write_at = WriteAt;
  file->base.get_size = GetSize;
  file->base.truncate = Truncate;
  file->fd = fd;
  out->reset(&file->base);
  return Status::Ok();
}

std::string LastFileError(const sqfs_file_t *base) {
  const PosixFile *file = AsPosix(base);
  if (file->lastOperation == nullptr) {
    return "";
  }
  return std::string(file->lastOperation) + ": " + std::strerror(file->lastErrno);
}

int PadFile(sqfs_file_t *file, sqfs_u64 alignment) {
  sqfs_u64 size = file->get_size(file);
  sqfs_u64 remainder = size % alignment;
  if (remainder == 0) {
    return 0;
  }
  std::vector<unsigned char> zeros(alignment - remainder, 0);
  return file->write_at(file, size, zeros.data(), zeros.size());
}

Status SyncAndClose(sqfs_file_t *base) {
  PosixFile *file = AsPosix(base);
  if (file->fd < 0) {
    return Status::Error("output file is already closed");
  }
  int fd = file->fd;
  file->fd = -1;
  if (fsync(fd) != 0) {
    int error = errno;
    close(fd);
    return Status::Error(std::string("fsync: ") + std::strerror(error));
  }
  if (close(fd) != 0) {
    return Status::Error(std::string("close: ") + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace levitate
