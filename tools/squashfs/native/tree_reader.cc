#include "tree_reader.h"

#include "sha256.h"
#include "sqfs_handles.h"

#include <sqfs/compressor.h>
#include <sqfs/data_reader.h>
#include <sqfs/dir_reader.h>
#include <sqfs/error.h>
#include <sqfs/block.h>
#include <sqfs/frag_table.h>
#include <sqfs/id_table.h>
#include <sqfs/super.h>
#include <sqfs/xattr.h>
#include <sqfs/xattr_reader.h>

#include <algorithm>
#include <memory>

namespace levitate {

namespace {

struct TreeDestroy {
  void operator()(sqfs_tree_node_t *root) const { sqfs_dir_tree_destroy(root); }
};

template <typename T>
using SqfsMemory = std::unique_ptr<T, SqfsFree>;

constexpr size_t kReadChunk = 1 << 20;

Status Failed(const std::string &path, const std::string &what, int code) {
  return Status::Error(path + ": " + what + " (libsquashfs error " + std::to_string(code) + ")");
}

std::string HexBytes(const uint8_t *data, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    hex.push_back(kDigits[data[i] >> 4]);
    hex.push_back(kDigits[data[i] & 15]);
  }
  return hex;
}

const char *TypeName(int type) {
  switch (type) {
    case SQFS_INODE_DIR:
    case SQFS_INODE_EXT_DIR:
      return "directory";
    case SQFS_INODE_FILE:
    case SQFS_INODE_EXT_FILE:
      return "file";
    case SQFS_INODE_SLINK:
    case SQFS_INODE_EXT_SLINK:
      return "symlink";
    case SQFS_INODE_CDEV:
    case SQFS_INODE_EXT_CDEV:
      return "char";
    case SQFS_INODE_BDEV:
    case SQFS_INODE_EXT_BDEV:
      return "block";
    case SQFS_INODE_FIFO:
    case SQFS_INODE_EXT_FIFO:
      return "fifo";
    default:
      return "socket";
  }
}

// The low 24 bits of a stored block size; bit 24 marks a block stored uncompressed.
constexpr sqfs_u32 kStoredSizeMask = 0x00ffffff;

class TreeReader {
 public:
  TreeReader(std::string path, bool hash) : path_(std::move(path)), hash_(hash) {}

  Status Read(ReadImage *image) {
    std::vector<ReadEntry> *out = &image->entries;
    file_.reset(sqfs_open_file(path_.c_str(), SQFS_FILE_OPEN_READ_ONLY));
    if (!file_) return Status::Error(path_ + ": cannot open the image");
    int err = sqfs_super_read(&super_, file_.get());
    if (err != 0) return Failed(path_, "not a squashfs image", err);
    sqfs_compressor_config_t config;
    err = sqfs_compressor_config_init(&config, static_cast<SQFS_COMPRESSOR>(super_.compression_id),
                                      super_.block_size, SQFS_COMP_FLAG_UNCOMPRESS);
    sqfs_compressor_t *compressor = nullptr;
    if (err == 0) err = sqfs_compressor_create(&config, &compressor);
    if (err != 0) return Failed(path_, "its compressor is not supported", err);
    compressor_.reset(compressor);

    ids_.reset(sqfs_id_table_create(0));
    if (!ids_) return Status::Error(path_ + ": out of memory");
    err = sqfs_id_table_read(ids_.get(), file_.get(), &super_, compressor_.get());
    if (err != 0) return Failed(path_, "cannot read the id table", err);

    dirs_.reset(sqfs_dir_reader_create(&super_, compressor_.get(), file_.get(), 0));
    data_.reset(sqfs_data_reader_create(file_.get(), super_.block_size, compressor_.get(), 0));
    xattrs_.reset(sqfs_xattr_reader_create(0));
    if (!dirs_ || !data_ || !xattrs_) return Status::Error(path_ + ": out of memory");
    err = sqfs_data_reader_load_fragment_table(data_.get(), &super_);
    if (err != 0) return Failed(path_, "cannot read the fragment table", err);
    err = sqfs_xattr_reader_load(xattrs_.get(), &super_, file_.get(), compressor_.get());
    if (err != 0) return Failed(path_, "cannot read the xattr table", err);
    image->blockSize = super_.block_size;
    Status fragments = ReadFragments(&image->fragments);
    if (!fragments.ok()) return fragments;

    sqfs_tree_node_t *root = nullptr;
    err = sqfs_dir_reader_get_full_hierarchy(dirs_.get(), ids_.get(), nullptr, 0, &root);
    if (err != 0) return Failed(path_, "cannot read the directory tree", err);
    std::unique_ptr<sqfs_tree_node_t, TreeDestroy> tree(root);
    Status status = Walk(root, "", out);
    if (!status.ok()) return status;
    std::sort(out->begin(), out->end(),
              [](const ReadEntry &a, const ReadEntry &b) { return a.path < b.path; });
    return Status::Ok();
  }

 private:
  Status ReadFragments(std::vector<uint32_t> *out) {
    SqfsPtr<sqfs_frag_table_t> table(sqfs_frag_table_create(0));
    if (!table) return Status::Error(path_ + ": out of memory");
    int err = sqfs_frag_table_read(table.get(), file_.get(), &super_, compressor_.get());
    if (err != 0) return Failed(path_, "cannot read the fragment table", err);
    const size_t count = sqfs_frag_table_get_size(table.get());
    for (size_t i = 0; i < count; ++i) {
      sqfs_fragment_t fragment;
      err = sqfs_frag_table_lookup(table.get(), static_cast<sqfs_u32>(i), &fragment);
      if (err != 0) return Failed(path_, "cannot read the fragment table", err);
      out->push_back(fragment.size & kStoredSizeMask);
    }
    return Status::Ok();
  }

  Status Walk(const sqfs_tree_node_t *node, const std::string &parent,
              std::vector<ReadEntry> *out) {
    const bool isRoot = node->parent == nullptr;
    const std::string name = reinterpret_cast<const char *>(node->name);
    const std::string path = isRoot ? "/" : (parent == "/" ? "" : parent) + "/" + name;
    ReadEntry entry;
    Status status = Describe(node, path, &entry);
    if (!status.ok()) return status;
    out->push_back(std::move(entry));
    for (const sqfs_tree_node_t *child = node->children; child; child = child->next) {
      status = Walk(child, path, out);
      if (!status.ok()) return status;
    }
    return Status::Ok();
  }

  Status Describe(const sqfs_tree_node_t *node, const std::string &path, ReadEntry *entry) {
    const sqfs_inode_generic_t *inode = node->inode;
    entry->path = path;
    entry->type = TypeName(inode->base.type);
    entry->mode = inode->base.mode & 07777;
    entry->uid = node->uid;
    entry->gid = node->gid;
    entry->mtime = inode->base.mod_time;
    entry->inode = inode->base.inode_number;
    switch (inode->base.type) {
      case SQFS_INODE_FILE:
      case SQFS_INODE_EXT_FILE: {
        Status status = HashContent(inode, path, entry);
        if (!status.ok()) return status;
        break;
      }
      case SQFS_INODE_SLINK:
        entry->target.assign(reinterpret_cast<const char *>(inode->extra),
                             inode->data.slink.target_size);
        break;
      case SQFS_INODE_EXT_SLINK:
        entry->target.assign(reinterpret_cast<const char *>(inode->extra),
                             inode->data.slink_ext.target_size);
        break;
      case SQFS_INODE_CDEV:
      case SQFS_INODE_BDEV:
        SetDevice(inode->data.dev.devno, entry);
        break;
      case SQFS_INODE_EXT_CDEV:
      case SQFS_INODE_EXT_BDEV:
        SetDevice(inode->data.dev_ext.devno, entry);
        break;
      default:
        break;
    }
    return ReadXattrs(inode, path, entry);
  }

  static void SetDevice(sqfs_u32 devno, ReadEntry *entry) {
    // The kernel's old_encode_dev layout, as squashfs stores device numbers.
    entry->major = (devno & 0xfff00) >> 8;
    entry->minor = (devno & 0xff) | ((devno >> 12) & 0xfff00);
  }

  Status HashContent(const sqfs_inode_generic_t *inode, const std::string &path,
                     ReadEntry *entry) {
    sqfs_u64 size = 0;
    sqfs_inode_get_file_size(inode, &size);
    entry->size = size;
    const size_t blocks = sqfs_inode_get_file_block_count(inode);
    for (size_t i = 0; i < blocks; ++i) entry->storedBlocks += inode->extra[i] & kStoredSizeMask;
    sqfs_u32 fragmentIndex = 0xffffffff;
    sqfs_u32 fragmentOffset = 0;
    sqfs_inode_get_frag_location(inode, &fragmentIndex, &fragmentOffset);
    if (fragmentIndex != 0xffffffff) {
      entry->fragment = fragmentIndex;
      entry->tail = static_cast<uint32_t>(size - static_cast<sqfs_u64>(blocks) * super_.block_size);
    }
    if (!hash_) return Status::Ok();
    Sha256 hash;
    std::vector<uint8_t> buffer(kReadChunk);
    for (sqfs_u64 offset = 0; offset < size;) {
      const sqfs_u32 want =
          static_cast<sqfs_u32>(std::min<sqfs_u64>(buffer.size(), size - offset));
      const sqfs_s32 got = sqfs_data_reader_read(data_.get(), inode, offset, buffer.data(), want);
      if (got <= 0) return Failed(path_, "cannot read the content of " + path, got);
      hash.Update(buffer.data(), static_cast<size_t>(got));
      offset += static_cast<sqfs_u64>(got);
    }
    entry->sha256 = HexOf(hash.Final());
    return Status::Ok();
  }

  Status ReadXattrs(const sqfs_inode_generic_t *inode, const std::string &path,
                    ReadEntry *entry) {
    sqfs_u32 index = 0xffffffff;
    if (sqfs_inode_get_xattr_index(inode, &index) != 0 || index == 0xffffffff) {
      return Status::Ok();
    }
    sqfs_xattr_id_t desc;
    int err = sqfs_xattr_reader_get_desc(xattrs_.get(), index, &desc);
    if (err == 0) err = sqfs_xattr_reader_seek_kv(xattrs_.get(), &desc);
    if (err != 0) return Failed(path_, "cannot read the xattrs of " + path, err);
    for (sqfs_u32 i = 0; i < desc.count; ++i) {
      sqfs_xattr_entry_t *rawKey = nullptr;
      err = sqfs_xattr_reader_read_key(xattrs_.get(), &rawKey);
      if (err != 0) return Failed(path_, "cannot read an xattr key of " + path, err);
      SqfsMemory<sqfs_xattr_entry_t> key(rawKey);
      sqfs_xattr_value_t *rawValue = nullptr;
      err = sqfs_xattr_reader_read_value(xattrs_.get(), key.get(), &rawValue);
      if (err != 0) return Failed(path_, "cannot read an xattr value of " + path, err);
      SqfsMemory<sqfs_xattr_value_t> value(rawValue);
      // The reader hands out the whole key, prefix included, NUL-terminated.
      const std::string name(reinterpret_cast<const char *>(key->key));
      entry->xattrs[name] = HexBytes(value->value, value->size);
    }
    return Status::Ok();
  }

  std::string path_;
  bool hash_;
  sqfs_super_t super_{};
  SqfsPtr<sqfs_file_t> file_;
  SqfsPtr<sqfs_compressor_t> compressor_;
  SqfsPtr<sqfs_id_table_t> ids_;
  SqfsPtr<sqfs_dir_reader_t> dirs_;
  SqfsPtr<sqfs_data_reader_t> data_;
  SqfsPtr<sqfs_xattr_reader_t> xattrs_;
};

class ReadTreeTask : public Napi::AsyncWorker {
 public:
  ReadTreeTask(Napi::Env env, std::string path, bool hash)
      : Napi::AsyncWorker(env, "squashfs.readTree"),
        path_(std::move(path)),
        hash_(hash),
        deferred_(Napi::Promise::Deferred::New(env)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    Status status = ReadTree(path_, hash_, &image_);
    if (!status.ok()) SetError(status.message());
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Array list = Napi::Array::New(env, image_.entries.size());
    for (size_t i = 0; i < image_.entries.size(); ++i) {
      list.Set(i, ToObject(env, image_.entries[i], hash_));
    }
    Napi::Array fragments = Napi::Array::New(env, image_.fragments.size());
    for (size_t i = 0; i < image_.fragments.size(); ++i) fragments.Set(i, image_.fragments[i]);
    Napi::Object result = Napi::Object::New(env);
    result.Set("blockSize", image_.blockSize);
    result.Set("entries", list);
    result.Set("fragments", fragments);
    deferred_.Resolve(result);
  }

  void OnError(const Napi::Error &error) override { deferred_.Reject(error.Value()); }

 private:
  static Napi::Object ToObject(Napi::Env env, const ReadEntry &entry, bool hashed) {
    Napi::Object object = Napi::Object::New(env);
    object.Set("path", entry.path);
    object.Set("type", entry.type);
    object.Set("mode", entry.mode);
    object.Set("uid", entry.uid);
    object.Set("gid", entry.gid);
    object.Set("mtime", entry.mtime);
    object.Set("inode", entry.inode);
    if (entry.type == "file") {
      object.Set("size", static_cast<double>(entry.size));
      if (hashed) object.Set("sha256", entry.sha256);
      object.Set("storedBlocks", static_cast<double>(entry.storedBlocks));
      object.Set("fragment", static_cast<double>(entry.fragment));
      object.Set("tail", entry.tail);
    }
    if (entry.type == "symlink") object.Set("target", entry.target);
    if (entry.type == "char" || entry.type == "block") {
      object.Set("major", entry.major);
      object.Set("minor", entry.minor);
    }
    Napi::Object xattrs = Napi::Object::New(env);
    for (const auto &[key, value] : entry.xattrs) xattrs.Set(key, value);
    object.Set("xattrs", xattrs);
    return object;
  }

  std::string path_;
  bool hash_;
  ReadImage image_;
  Napi::Promise::Deferred deferred_;
};

Napi::Value ReadTreeFunction(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsBoolean()) {
    Napi::TypeError::New(env, "readTree(path, hash): a string and a boolean")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto *task = new ReadTreeTask(env, info[0].As<Napi::String>().Utf8Value(),
                                info[1].As<Napi::Boolean>().Value());
  Napi::Promise promise = task->Promise();
  task->Queue();
  return promise;
}

}  // namespace

Status ReadTree(const std::string &path, bool hash, ReadImage *out) {
  TreeReader reader(path, hash);
  return reader.Read(out);
}

void RegisterTreeReader(Napi::Env env, Napi::Object exports) {
  exports.Set("readTree", Napi::Function::New(env, ReadTreeFunction, "readTree"));
}

}  // namespace levitate
