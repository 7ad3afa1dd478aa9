#include "block_cache.h"

#include "descriptor.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace levitate {

namespace {

constexpr char kMagic[8] = {'L', 'V', 'S', 'T', 'A', 'G', 'E', '1'};
constexpr size_t kHeaderSize = 8 + 8 + 32;

std::atomic<uint64_t> temporaryCounter{0};

uint64_t ReadU64(const uint8_t *bytes) {
  uint64_t value = 0;
  for (int index = 7; index >= 0; --index) value = (value << 8) | bytes[index];
  return value;
}

void WriteU64(uint8_t *bytes, uint64_t value) {
  for (int index = 0; index < 8; ++index) bytes[index] = static_cast<uint8_t>(value >> (8 * index));
}

Digest EntryDigest(const Digest &key, const uint8_t *payload, uint32_t size) {
  return Sha256().Update(key.data(), key.size()).Update(payload, size).Final();
}

bool ReadFully(int fd, uint8_t *buffer, size_t size) {
  while (size > 0) {
    ssize_t got = read(fd, buffer, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    buffer += got;
    size -= static_cast<size_t>(got);
  }
  return true;
}

bool WriteFully(int fd, const uint8_t *buffer, size_t size) {
  while (size > 0) {
    ssize_t put = write(fd, buffer, size);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    buffer += put;
    size -= static_cast<size_t>(put);
  }
  return true;
}

// mkdir -p: every missing folder of `path`, parents first.
void MakeFolders(const std::string &path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    mkdir(path.substr(0, slash).c_str(), 0755);
  }
  mkdir(path.c_str(), 0755);
}

}  // namespace

std::string BlockCache::EntryPath(const std::string &hex) const {
  return folder_ + "/" + hex.substr(0, 2) + "/" + hex;
}

bool BlockCache::Fetch(const Digest &key, uint32_t inputSize, uint8_t *out, uint32_t capacity,
                       uint32_t *size) {
  std::string path = EntryPath(HexOf(key));
  Descriptor fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  bool present = fd.get() >= 0;
  bool sound = false;
  if (present) {
    uint8_t header[kHeaderSize];
    struct stat info {};
    sound = fstat(fd.get(), &info) == 0 && ReadFully(fd.get(), header, kHeaderSize) &&
            std::memcmp(header, kMagic, sizeof(kMagic)) == 0;
    uint64_t length = sound ? ReadU64(header + 8) : 0;
    sound = sound && length <= capacity &&
            static_cast<uint64_t>(info.st_size) == kHeaderSize + length &&
            ReadFully(fd.get(), out, static_cast<size_t>(length));
    if (sound) {
      Digest digest = EntryDigest(key, out, static_cast<uint32_t>(length));
      sound = std::memcmp(digest.data(), header + 16, digest.size()) == 0;
    }
    if (sound) {
      *size = static_cast<uint32_t>(length);
      futimens(fd.get(), nullptr);  // recently used; a failure only makes eviction earlier
    }
  }
  if (!sound) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    if (present) rejected_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  reusedBytes_.fetch_add(inputSize, std::memory_order_relaxed);
  return true;
}

void BlockCache::Keep(const Digest &key, uint32_t inputSize, const uint8_t *payload,
                      uint32_t size) {
  compressedBytes_.fetch_add(inputSize, std::memory_order_relaxed);
  if (!Write(HexOf(key), key, payload, size)) {
    storeFailures_.fetch_add(1, std::memory_order_relaxed);
  }
}

bool BlockCache::Write(const std::string &hex, const Digest &key, const uint8_t *payload,
                       uint32_t size) {
  std::string folder = folder_ + "/" + hex.substr(0, 2);
  uint64_t serial = temporaryCounter.fetch_add(1, std::memory_order_relaxed);
  char suffix[64];
  std::snprintf(suffix, sizeof(suffix), "/.tmp-%ld-%llx", static_cast<long>(getpid()),
                static_cast<unsigned long long>(serial));
  std::string temporary = folder + suffix;

  int raw = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (raw < 0 && errno == ENOENT) {
    MakeFolders(folder);
    raw = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  }
  if (raw < 0) return false;
  Descriptor fd(raw);

  uint8_t header[kHeaderSize];
  std::memcpy(header, kMagic, sizeof(kMagic));
  WriteU64(header + 8, size);
  Digest digest = EntryDigest(key, payload, size);
  std::memcpy(header + 16, digest.data(), digest.size());

  bool ok = WriteFully(fd.get(), header, kHeaderSize) && WriteFully(fd.get(), payload, size);
  ok = fd.Close() && ok;
  ok = ok && rename(temporary.c_str(), EntryPath(hex).c_str()) == 0;
  if (!ok) unlink(temporary.c_str());
  return ok;
}

BlockCacheStats BlockCache::Stats() const {
  BlockCacheStats stats;
  stats.hits = hits_.load();
  stats.misses = misses_.load();
  stats.rejected = rejected_.load();
  stats.storeFailures = storeFailures_.load();
  stats.reusedBytes = reusedBytes_.load();
  stats.compressedBytes = compressedBytes_.load();
  return stats;
}

}  // namespace levitate
