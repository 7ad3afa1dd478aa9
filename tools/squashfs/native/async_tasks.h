#pragma once

#include "image.h"
#include "native_writer.h"
#include "plan.h"
#include "stored_files.h"

#include <napi.h>

#include <cstdint>

namespace levitate {

// Base for operations that run on the libuv pool and settle a promise on the JS thread.
class ImageTask : public Napi::AsyncWorker {
 public:
  ImageTask(Napi::Env env, const char *name, NativeWriter *writer, Image *image);
  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void OnOK() override;
  void OnError(const Napi::Error &error) override;
  virtual Napi::Value Result(Napi::Env env) = 0;

  Image *image_;

 private:
  Napi::Promise::Deferred deferred_;
  NativeWriter *writer_;
  Napi::ObjectReference keepWriter_;
};

// Optionally begins a file, appends one chunk, optionally ends the file. Resolves to the data
// slot when it began a file, otherwise to -1.
class WriteFileTask : public ImageTask {
 public:
  WriteFileTask(Napi::Env env, NativeWriter *writer, Image *image, Napi::Value chunk, bool begin,
                bool end);

 protected:
  void Execute() override;
  Napi::Value Result(Napi::Env env) override;

 private:
  Napi::Reference<Napi::Value> keepChunk_;
  const uint8_t *data_ = nullptr;
  size_t size_ = 0;
  bool begin_;
  bool end_;
  int64_t slot_ = -1;
};

// Writes files the addon reads from the host itself (see stored_files.h). Resolves to
// { slots, stoppedAt, reason }.
class WriteStoredFilesTask : public ImageTask {
 public:
  WriteStoredFilesTask(Napi::Env env, NativeWriter *writer, Image *image,
                       std::vector<StoredFile> files);

 protected:
  void Execute() override;
  Napi::Value Result(Napi::Env env) override;

 private:
  std::vector<StoredFile> files_;
  StoredFilesOutcome outcome_;
};

// Writes the metadata tables and the super block, then closes the file.
class FinishTask : public ImageTask {
 public:
  FinishTask(Napi::Env env, NativeWriter *writer, Image *image, Plan plan);

 protected:
  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error &error) override;
  Napi::Value Result(Napi::Env env) override;

 private:
  Plan plan_;
  ImageSummary summary_;
  NativeWriter *owner_;
};

}  // namespace levitate
