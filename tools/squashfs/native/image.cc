#include "image.h"

#include "caching_compressor.h"
#include "posix_file.h"
#include "tree_writer.h"

#include <sqfs/error.h>

#include <algorithm>

namespace levitate {

namespace {

constexpr uint32_t kBacklogPerWorker = 10;

Status MakeCompressor(const ImageOptions &options, bool uncompress,
                      SqfsPtr<sqfs_compressor_t> *out) {
  sqfs_u16 flags = 0;
  if (options.bcjX86) flags |= SQFS_COMP_FLAG_XZ_X86;
  if (uncompress) flags |= SQFS_COMP_FLAG_UNCOMPRESS;

  sqfs_compressor_config_t config;
  int err = sqfs_compressor_config_init(&config, options.compressor, options.blockSize, flags);
  if (err == 0 && options.hasLevel) config.level = options.level;

  sqfs_compressor_t *compressor = nullptr;
  if (err == 0) err = sqfs_compressor_create(&config, &compressor);
  if (err != 0) {
    const char *name = sqfs_compressor_name_from_id(options.compressor);
    return Status::Error(std::string("cannot set up the ") + (name ? name : "requested") +
                         " compressor (level " + std::to_string(config.level) +
                         "): " + DescribeSqfsError(err));
  }
  out->reset(compressor);
  return Status::Ok();
}

}  // namespace

Image::Image(std::string path, const ImageOptions &options)
    : path_(std::move(path)), options_(options) {}

Image::~Image() = default;

Status Image::Create(const std::string &path, const ImageOptions &options,
                     std::unique_ptr<Image> *out) {
  std::unique_ptr<Image> image(new Image(path, options));
  Status status = image->Open();
  if (!status.ok()) return status;
  *out = std::move(image);
  return Status::Ok();
}

Status Image::Fail(int code, const std::string &what) const {
  std::string message = what + ": " + DescribeSqfsError(code);
  if (file_) {
    std::string detail = LastFileError(file_.get());
    if (!detail.empty()) message += ": " + detail;
  }
  return Status::Error(message);
}

Status Image::Open() {
  int err = sqfs_super_init(&super_, options_.blockSize, options_.mkfsTime, options_.compressor);
  if (err) return Fail(err, "invalid super block settings");

  Status status = MakeCompressor(options_, false, &compressor_);
  if (status.ok() && !options_.blockCache.empty()) {
    // Data, fragment and metadata blocks alike; the uncompressor (fragment dedup) reads as is.
    blockCache_ = std::make_unique<BlockCache>(options_.blockCache);
    compressor_.reset(CacheCompressedBlocks(compressor_.release(), blockCache_.get()));
    if (!compressor_) return Fail(SQFS_ERROR_ALLOC, "setting up the block cache");
  }
  if (status.ok()) status = MakeCompressor(options_, true, &uncompressor_);
  if (status.ok()) status = OpenOutputFile(path_, &file_);
  if (!status.ok()) return status;

  err = sqfs_super_write(&super_, file_.get());
  if (err) return Fail(err, "writing the super block");

  int written = compressor_->write_options(compressor_.get(), file_.get());
  if (written < 0) return Fail(written, "writing compressor options");
  wroteCompressorOptions_ = written > 0;

  blockWriter_.reset(sqfs_block_writer_create(file_.get(), SQFS_DEVBLK_SIZE, 0));
  fragments_.reset(sqfs_frag_table_create(0));
  if (!blockWriter_ || !fragments_) return Fail(SQFS_ERROR_ALLOC, "creating the block writer");

  sqfs_block_processor_desc_t desc{};
  desc.size = sizeof(desc);
  desc.max_block_size = options_.blockSize;
  desc.num_workers = std::max<uint32_t>(1, options_.workers);
  desc.max_backlog = desc.num_workers * kBacklogPerWorker;
  desc.cmp = compressor_.get();
  desc.wr = blockWriter_.get();
  desc.tbl = fragments_.get();
  desc.file = file_.get();
  desc.uncmp = uncompressor_.get();

  sqfs_block_processor_t *processor = nullptr;
  err = sqfs_block_processor_create_ex(&desc, &processor);
  if (err) return Fail(err, "starting the block processor");
  processor_.reset(processor);
  return Status::Ok();
}

Status Image::BeginFile(uint32_t *slot) {
  if (!processor_) return Status::Error("image is closed");
  if (fileOpen_) return Status::Error("a file is already being written");
  if (files_.size() >= 0xFFFFFFFFu) return Status::Error("too many files");
  *slot = static_cast<uint32_t>(files_.size());
  int err = sqfs_block_processor_begin_file(processor_.get(), files_.Add(), nullptr, 0);
  if (err) return Fail(err, "starting file data");
  fileOpen_ = true;
  return Status::Ok();
}

Status Image::Append(const uint8_t *data, size_t size) {
  if (!processor_ || !fileOpen_) return Status::Error("no file is being written");
  int err = sqfs_block_processor_append(processor_.get(), data, size);
  if (err) return Fail(err, "writing file data");
  return Status::Ok();
}

Status Image::EndFile() {
  if (!processor_ || !fileOpen_) return Status::Error("no file is being written");
  fileOpen_ = false;
  int err = sqfs_block_processor_end_file(processor_.get());
  if (err) return Fail(err, "finishing file data");
  return Status::Ok();
}

Status Image::Finish(const Plan &plan, ImageSummary *summary) {
  if (!processor_) return Status::Error("image is closed");
  if (fileOpen_) return Status::Error("a file is still being written");

  int err = sqfs_block_processor_finish(processor_.get());
  if (err) return Fail(err, "flushing data blocks");
  processor_.reset();

  Status status = FinishTables(plan);
  if (!status.ok()) return status;

  super_.bytes_used = file_->get_size(file_.get());
  err = PadFile(file_.get(), SQFS_DEVBLK_SIZE);
  if (err) return Fail(err, "padding the image");
  if (wroteCompressorOptions_) super_.flags |= SQFS_FLAG_COMPRESSOR_OPTIONS;
  err = sqfs_super_write(&super_, file_.get());
  if (err) return Fail(err, "writing the super block");

  summary->bytes = file_->get_size(file_.get());
  summary->inodes = super_.inode_count;
  summary->usedBlockCache = blockCache_ != nullptr;
  if (blockCache_) summary->blockCache = blockCache_->Stats();
  status = SyncAndClose(file_.get());
  if (!status.ok()) return status;
  return Status::Ok();
}

Status Image::FinishTables(const Plan &plan) {
  sqfs_file_t *file = file_.get();
  sqfs_compressor_t *cmp = compressor_.get();

  SqfsPtr<sqfs_meta_writer_t> inodes(sqfs_meta_writer_create(file, cmp, 0));
  SqfsPtr<sqfs_meta_writer_t> listings(
      sqfs_meta_writer_create(file, cmp, SQFS_META_WRITER_KEEP_IN_MEMORY));
  if (!inodes || !listings) return Fail(SQFS_ERROR_ALLOC, "creating meta data writers");
  SqfsPtr<sqfs_dir_writer_t> directories(sqfs_dir_writer_create(
      listings.get(), options_.exportable ? SQFS_DIR_WRITER_CREATE_EXPORT_TABLE : 0));
  SqfsPtr<sqfs_id_table_t> ids(sqfs_id_table_create(0));
  SqfsPtr<sqfs_xattr_writer_t> xattrs(sqfs_xattr_writer_create(0));
  if (!directories || !ids || !xattrs) return Fail(SQFS_ERROR_ALLOC, "creating table writers");

  super_.inode_table_start = file->get_size(file);
  MetadataSinks sinks{inodes.get(), directories.get(), ids.get(), xattrs.get()};
  TreeOutcome tree;
  Status status = WriteTree(plan, files_, sinks, &tree);
  if (!status.ok()) {
    std::string detail = LastFileError(file);
    return Status::Error(status.message() + (detail.empty() ? "" : ": " + detail));
  }
  super_.inode_count = tree.inodeCount;
  super_.root_inode_ref = tree.rootRef;

  int err = sqfs_meta_writer_flush(inodes.get());
  if (err) return Fail(err, "writing the inode table");
  super_.directory_table_start = file->get_size(file);
  err = sqfs_meta_writer_flush(listings.get());
  if (!err) err = sqfs_meta_write_write_to_file(listings.get());
  if (err) return Fail(err, "writing the directory table");

  err = sqfs_frag_table_write(fragments_.get(), file, &super_, cmp);
  if (err) return Fail(err, "writing the fragment table");
  if (options_.exportable) {
    err = sqfs_dir_writer_write_export_table(directories.get(), file, cmp, tree.rootInode,
                                             tree.rootRef, &super_);
    if (err) return Fail(err, "writing the export table");
  }
  err = sqfs_id_table_write(ids.get(), file, &super_, cmp);
  if (err) return Fail(err, "writing the id table");
  err = sqfs_xattr_writer_flush(xattrs.get(), file, &super_, cmp);
  if (err) return Fail(err, "writing the xattr tables");
  return Status::Ok();
}

}  // namespace levitate
