#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace levitate {

using Digest = std::array<uint8_t, 32>;

// SHA-256 through the OpenSSL that Node.js links statically and exports to addons (see
// "Linking to libraries included with Node.js" in the Node.js addon documentation).
class Sha256 {
 public:
  Sha256();
  Sha256(const Sha256 &) = delete;
  Sha256 &operator=(const Sha256 &) = delete;
  ~Sha256();

  Sha256 &Update(const void *data, size_t size);
  Sha256 &UpdateU32(uint32_t value);  // little endian
  Sha256 &UpdateU64(uint64_t value);  // little endian
  Digest Final();

 private:
  void *context_;
};

std::string HexOf(const Digest &digest);

}  // namespace levitate
