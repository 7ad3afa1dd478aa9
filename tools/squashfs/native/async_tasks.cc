#include "async_tasks.h"

#include <utility>

namespace levitate {

ImageTask::ImageTask(Napi::Env env, const char *name, NativeWriter *writer, Image *image)
    : Napi::AsyncWorker(env, name),
      image_(image),
      deferred_(Napi::Promise::Deferred::New(env)),
      writer_(writer),
      keepWriter_(Napi::Persistent(writer->Value())) {}

void ImageTask::OnOK() {
  Napi::Env env = Env();
  Napi::HandleScope scope(env);
  writer_->OperationDone(true, "");
  deferred_.Resolve(Result(env));
}

void ImageTask::OnError(const Napi::Error &error) {
  Napi::HandleScope scope(Env());
  writer_->OperationDone(false, error.Message());
  deferred_.Reject(error.Value());
}

WriteFileTask::WriteFileTask(Napi::Env env, NativeWriter *writer, Image *image, Napi::Value chunk,
                             bool begin, bool end)
    : ImageTask(env, "squashfs:writeFile", writer, image), begin_(begin), end_(end) {
  if (chunk.IsTypedArray()) {
    Napi::Uint8Array bytes = chunk.As<Napi::Uint8Array>();
    data_ = bytes.Data();
    size_ = bytes.ByteLength();
    keepChunk_ = Napi::Persistent(chunk);
  }
}

void WriteFileTask::Execute() {
  Status status = Status::Ok();
  if (begin_) {
    uint32_t slot = 0;
    status = image_->BeginFile(&slot);
    slot_ = slot;
  }
  if (status.ok() && size_ > 0) status = image_->Append(data_, size_);
  if (status.ok() && end_) status = image_->EndFile();
  if (!status.ok()) SetError(status.message());
}

Napi::Value WriteFileTask::Result(Napi::Env env) {
  return Napi::Number::New(env, static_cast<double>(slot_));
}

WriteStoredFilesTask::WriteStoredFilesTask(Napi::Env env, NativeWriter *writer, Image *image,
                                           std::vector<StoredFile> files)
    : ImageTask(env, "squashfs:writeStoredFiles", writer, image), files_(std::move(files)) {}

void WriteStoredFilesTask::Execute() {
  Status status = WriteStoredFiles(image_, files_, &outcome_);
  if (!status.ok()) SetError(status.message());
}

Napi::Value WriteStoredFilesTask::Result(Napi::Env env) {
  Napi::Object result = Napi::Object::New(env);
  Napi::Array slots = Napi::Array::New(env, outcome_.slots.size());
  for (size_t index = 0; index < outcome_.slots.size(); ++index) {
    slots.Set(static_cast<uint32_t>(index), Napi::Number::New(env, outcome_.slots[index]));
  }
  result.Set("slots", slots);
  result.Set("stoppedAt", Napi::Number::New(env, static_cast<double>(outcome_.stoppedAt)));
  result.Set("reason", Napi::String::New(env, outcome_.reason));
  return result;
}

FinishTask::FinishTask(Napi::Env env, NativeWriter *writer, Image *image, Plan plan)
    : ImageTask(env, "squashfs:finish", writer, image), plan_(std::move(plan)), owner_(writer) {}

void FinishTask::Execute() {
  Status status = image_->Finish(plan_, &summary_);
  if (!status.ok()) SetError(status.message());
}

void FinishTask::OnOK() {
  owner_->ReleaseImage();
  ImageTask::OnOK();
}

void FinishTask::OnError(const Napi::Error &error) {
  owner_->ReleaseImage();
  ImageTask::OnError(error);
}

Napi::Value FinishTask::Result(Napi::Env env) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("bytes", Napi::Number::New(env, static_cast<double>(summary_.bytes)));
  result.Set("inodes", Napi::Number::New(env, summary_.inodes));
  if (summary_.usedBlockCache) {
    const BlockCacheStats &stats = summary_.blockCache;
    auto number = [env](uint64_t value) {
      return Napi::Number::New(env, static_cast<double>(value));
    };
    Napi::Object cache = Napi::Object::New(env);
    cache.Set("hits", number(stats.hits));
    cache.Set("misses", number(stats.misses));
    cache.Set("rejected", number(stats.rejected));
    cache.Set("storeFailures", number(stats.storeFailures));
    cache.Set("reusedBytes", number(stats.reusedBytes));
    cache.Set("compressedBytes", number(stats.compressedBytes));
    result.Set("blockCache", cache);
  }
  return result;
}

}  // namespace levitate
