#include "sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace levitate {

namespace {

EVP_MD_CTX *Context(void *context) { return static_cast<EVP_MD_CTX *>(context); }

}  // namespace

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr || EVP_DigestInit_ex(Context(context_), EVP_sha256(), nullptr) != 1) {
    std::abort();  // out of memory, or an OpenSSL without SHA-256
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(Context(context_)); }

Sha256 &Sha256::Update(const void *data, size_t size) {
  if (size > 0) EVP_DigestUpdate(Context(context_), data, size);
  return *this;
}

Sha256 &Sha256::UpdateU32(uint32_t value) {
  uint8_t bytes[4];
  for (int index = 0; index < 4; ++index) bytes[index] = static_cast<uint8_t>(value >> (8 * index));
  return Update(bytes, sizeof(bytes));
}

Sha256 &Sha256::UpdateU64(uint64_t value) {
  uint8_t bytes[8];
  for (int index = 0; index < 8; ++index) bytes[index] = static_cast<uint8_t>(value >> (8 * index));
  return Update(bytes, sizeof(bytes));
}

Digest Sha256::Final() {
  Digest digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(Context(context_), digest.data(), &length);
  return digest;
}

std::string HexOf(const Digest &digest) {
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (uint8_t byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 15]);
  }
  return hex;
}

}  // namespace levitate
