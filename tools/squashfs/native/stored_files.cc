#include "stored_files.h"

#include "descriptor.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace levitate {

namespace {

// Files up to this size are read once, whole; larger ones twice in chunks of this size: once to
// check them, once to write them.
constexpr uint64_t kWholeReadBytes = 4ull << 20;
constexpr size_t kChunkBytes = 1u << 20;

std::string ErrnoText(const std::string &path, const char *operation, int code) {
  return path + ": " + operation + ": " + std::strerror(code);
}

// Reads exactly `size` bytes at the descriptor's position; an empty string when it did.
std::string ReadExactly(const StoredFile &file, int fd, uint8_t *into, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t got = read(fd, into + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return ErrnoText(file.path, "read", errno);
    if (got == 0) return file.path + " became shorter while it was read";
    done += static_cast<size_t>(got);
  }
  return "";
}

std::string WrongDigest(const StoredFile &file, const Digest &actual) {
  return file.path + " holds content with SHA-256 " + HexOf(actual) + ", not " +
         HexOf(file.sha256);
}

// Opens the file and checks that it is a regular file of the expected size.
std::string OpenChecked(const StoredFile &file, int *fd) {
  *fd = open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (*fd < 0) return ErrnoText(file.path, "open", errno);
  struct stat info;
  if (fstat(*fd, &info) != 0) return ErrnoText(file.path, "stat", errno);
  if (!S_ISREG(info.st_mode)) return file.path + " is not a regular file";
  uint64_t size = static_cast<uint64_t>(info.st_size);
  if (size != file.size) {
    return file.path + " holds " + std::to_string(size) + " bytes, not the " +
           std::to_string(file.size) + " bytes it should";
  }
  return "";
}

// Hashes `size` bytes from the descriptor's position in chunks into `buffer`.
std::string HashChunks(const StoredFile &file, int fd, std::vector<uint8_t> *buffer,
                       Digest *digest) {
  Sha256 hash;
  buffer->resize(kChunkBytes);
  for (uint64_t done = 0; done < file.size;) {
    size_t step = static_cast<size_t>(std::min<uint64_t>(kChunkBytes, file.size - done));
    std::string problem = ReadExactly(file, fd, buffer->data(), step);
    if (!problem.empty()) return problem;
    hash.Update(buffer->data(), step);
    done += step;
  }
  *digest = hash.Final();
  return "";
}

class StoredFileWriter {
 public:
  explicit StoredFileWriter(Image *image) : image_(image) {}

  // Writes one file; `problem` tells why it was not written (nothing of it was), and a failed
  // Status means the image itself failed.
  Status Write(const StoredFile &file, uint32_t *slot, std::string *problem) {
    int raw = -1;
    *problem = OpenChecked(file, &raw);
    Descriptor fd(raw);
    if (!problem->empty()) return Status::Ok();
    return file.size <= kWholeReadBytes ? WriteWhole(file, fd.get(), slot, problem)
                                        : WriteChecked(file, fd.get(), slot, problem);
  }

 private:
  Status WriteWhole(const StoredFile &file, int fd, uint32_t *slot, std::string *problem) {
    buffer_.resize(file.size);
    *problem = ReadExactly(file, fd, buffer_.data(), buffer_.size());
    if (!problem->empty()) return Status::Ok();
    Digest actual = Sha256().Update(buffer_.data(), buffer_.size()).Final();
    if (actual != file.sha256) {
      *problem = WrongDigest(file, actual);
      return Status::Ok();
    }
    Status status = image_->BeginFile(slot);
    if (status.ok() && !buffer_.empty()) status = image_->Append(buffer_.data(), buffer_.size());
    if (status.ok()) status = image_->EndFile();
    return status;
  }

  // Checks the file in chunks, then writes it in chunks, hashing it again: a file that changes
  // between the two passes fails the image, as it cannot be taken back.
  Status WriteChecked(const StoredFile &file, int fd, uint32_t *slot, std::string *problem) {
    Digest actual;
    *problem = HashChunks(file, fd, &buffer_, &actual);
    if (problem->empty() && actual != file.sha256) *problem = WrongDigest(file, actual);
    if (!problem->empty()) return Status::Ok();
    if (lseek(fd, 0, SEEK_SET) != 0) return Status::Error(ErrnoText(file.path, "seek", errno));

    Status status = image_->BeginFile(slot);
    Sha256 again;
    for (uint64_t done = 0; status.ok() && done < file.size;) {
      size_t step = static_cast<size_t>(std::min<uint64_t>(kChunkBytes, file.size - done));
      std::string failed = ReadExactly(file, fd, buffer_.data(), step);
      if (!failed.empty()) return Status::Error(failed);
      again.Update(buffer_.data(), step);
      status = image_->Append(buffer_.data(), step);
      done += step;
    }
    if (status.ok()) status = image_->EndFile();
    if (status.ok() && again.Final() != file.sha256) {
      return Status::Error(file.path + " changed while it was being written into the image");
    }
    return status;
  }

  Image *image_;
  std::vector<uint8_t> buffer_;
};

}  // namespace

Status WriteStoredFiles(Image *image, const std::vector<StoredFile> &files,
                        StoredFilesOutcome *outcome) {
  StoredFileWriter writer(image);
  for (size_t index = 0; index < files.size(); ++index) {
    const StoredFile &file = files[index];
    uint32_t slot = 0;
    std::string problem;
    Status status = writer.Write(file, &slot, &problem);
    if (!status.ok()) return Status::Error(file.path + ": " + status.message());
    if (!problem.empty()) {
      outcome->stoppedAt = static_cast<int64_t>(index);
      outcome->reason = problem;
      return Status::Ok();
    }
    outcome->slots.push_back(slot);
  }
  return Status::Ok();
}

}  // namespace levitate
