#include "caching_compressor.h"

#include "compression_libraries.h"

#include <new>
#include <type_traits>

namespace levitate {

namespace {

// Standard layout with the interface first, so libsquashfs can treat it as a compressor.
struct CachingCompressor {
  sqfs_compressor_t base;
  sqfs_compressor_t *inner;
  BlockCache *cache;
  Digest settings;
};
static_assert(std::is_standard_layout<CachingCompressor>::value, "must start with the interface");

CachingCompressor *Self(sqfs_compressor_t *base) {
  return reinterpret_cast<CachingCompressor *>(base);
}

const CachingCompressor *Self(const sqfs_compressor_t *base) {
  return reinterpret_cast<const CachingCompressor *>(base);
}

Digest SettingsDigest(const sqfs_compressor_t *inner) {
  sqfs_compressor_config_t config{};
  inner->get_configuration(inner, &config);
  static const char kDomain[] = "levitate squashfs compressed block v1";
  return Sha256()
      .Update(kDomain, sizeof(kDomain))
      .UpdateU32(config.id)
      .UpdateU32(config.flags)
      .UpdateU32(config.block_size)
      .UpdateU32(config.level)
      .UpdateU64(config.opt.padd0[0])
      .UpdateU64(config.opt.padd0[1])
      .Update(CompressionLibrariesDigest().data(), sizeof(Digest))
      .Final();
}

sqfs_s32 DoBlock(sqfs_compressor_t *base, const sqfs_u8 *in, sqfs_u32 size, sqfs_u8 *out,
                 sqfs_u32 outsize) {
  CachingCompressor *self = Self(base);
  Digest key = Sha256()
                   .Update(self->settings.data(), self->settings.size())
                   .UpdateU32(outsize)
                   .Update(in, size)
                   .Final();
  uint32_t cached = 0;
  if (self->cache->Fetch(key, size, out, outsize, &cached)) return static_cast<sqfs_s32>(cached);

  sqfs_s32 result = self->inner->do_block(self->inner, in, size, out, outsize);
  if (result >= 0) self->cache->Keep(key, size, out, static_cast<uint32_t>(result));
  return result;
}

void GetConfiguration(const sqfs_compressor_t *base, sqfs_compressor_config_t *config) {
  const sqfs_compressor_t *inner = Self(base)->inner;
  inner->get_configuration(inner, config);
}

int WriteOptions(sqfs_compressor_t *base, sqfs_file_t *file) {
  sqfs_compressor_t *inner = Self(base)->inner;
  return inner->write_options(inner, file);
}

int ReadOptions(sqfs_compressor_t *base, sqfs_file_t *file) {
  sqfs_compressor_t *inner = Self(base)->inner;
  return inner->read_options(inner, file);
}

void Destroy(sqfs_object_t *object) {
  CachingCompressor *self = reinterpret_cast<CachingCompressor *>(object);
  sqfs_destroy(self->inner);
  delete self;
}

sqfs_object_t *Copy(const sqfs_object_t *object);

CachingCompressor *Wrap(sqfs_compressor_t *inner, BlockCache *cache, const Digest &settings) {
  if (inner == nullptr) return nullptr;
  CachingCompressor *self = new (std::nothrow) CachingCompressor{};
  if (self == nullptr) {
    sqfs_destroy(inner);
    return nullptr;
  }
  self->base.base.destroy = Destroy;
  self->base.base.copy = Copy;
  self->base.get_configuration = GetConfiguration;
  self->base.write_options = WriteOptions;
  self->base.read_options = ReadOptions;
  self->base.do_block = DoBlock;
  self->inner = inner;
  self->cache = cache;
  self->settings = settings;
  return self;
}

sqfs_object_t *Copy(const sqfs_object_t *object) {
  const CachingCompressor *self = reinterpret_cast<const CachingCompressor *>(object);
  auto *inner = static_cast<sqfs_compressor_t *>(sqfs_copy(self->inner));
  return reinterpret_cast<sqfs_object_t *>(Wrap(inner, self->cache, self->settings));
}

}  // namespace

sqfs_compressor_t *CacheCompressedBlocks(sqfs_compressor_t *inner, BlockCache *cache) {
  if (inner == nullptr) return nullptr;
  return reinterpret_cast<sqfs_compressor_t *>(Wrap(inner, cache, SettingsDigest(inner)));
}

}  // namespace levitate
