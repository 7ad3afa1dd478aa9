#include "compression_libraries.h"

#include <link.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

namespace levitate {

namespace {

constexpr const char *kLibraries[] = {"libsquashfs.so", "libzstd.so", "liblzma.so",
                                      "libz.so",        "liblz4.so",  "liblzo2.so"};

bool IsCompressionLibrary(const char *path) {
  const char *slash = std::strrchr(path, '/');
  const char *name = slash == nullptr ? path : slash + 1;
  return std::any_of(std::begin(kLibraries), std::end(kLibraries), [name](const char *library) {
    return std::strncmp(name, library, std::strlen(library)) == 0;
  });
}

int CollectLibrary(struct dl_phdr_info *info, size_t, void *data) {
  if (info->dlpi_name != nullptr && IsCompressionLibrary(info->dlpi_name)) {
    static_cast<std::vector<std::string> *>(data)->push_back(info->dlpi_name);
  }
  return 0;
}

Digest ComputeDigest() {
  std::vector<std::string> paths;
  dl_iterate_phdr(CollectLibrary, &paths);
  std::sort(paths.begin(), paths.end());
  Sha256 hash;
  std::vector<char> buffer(1 << 16);
  for (const std::string &path : paths) {
    const char *slash = std::strrchr(path.c_str(), '/');
    std::string name = slash == nullptr ? path : std::string(slash + 1);
    hash.Update(name.data(), name.size() + 1);
    std::ifstream file(path, std::ios::binary);
    while (file) {
      file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      hash.Update(buffer.data(), static_cast<size_t>(file.gcount()));
    }
    const char *outcome = file.eof() ? "read" : "fail";  // a file that vanished keys apart
    hash.Update(outcome, 4);
  }
  return hash.Final();
}

}  // namespace

const Digest &CompressionLibrariesDigest() {
  static std::once_flag once;
  static Digest digest;
  std::call_once(once, [] { digest = ComputeDigest(); });
  return digest;
}

}  // namespace levitate
