#include "native_writer.h"

#include "async_tasks.h"
#include "js_args.h"

#include <utility>

namespace levitate {

void NativeWriter::Register(Napi::Env env, Napi::Object exports) {
  Napi::Function constructor =
      DefineClass(env, "Writer",
                  {
                      InstanceMethod<&NativeWriter::WriteFile>("writeFile"),
                      InstanceMethod<&NativeWriter::WriteStoredFiles>("writeStoredFiles"),
                      InstanceMethod<&NativeWriter::Finish>("finish"),
                      InstanceMethod<&NativeWriter::Abort>("abort"),
                  });
  exports.Set("Writer", constructor);
}

NativeWriter::NativeWriter(const Napi::CallbackInfo &info) : Napi::ObjectWrap<NativeWriter>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) {
    Napi::TypeError::New(env, "output file must be a string").ThrowAsJavaScriptException();
    return;
  }
  ImageOptions options;
  if (!ReadImageOptions(env, info[1], &options)) return;

  Status status = Image::Create(info[0].As<Napi::String>().Utf8Value(), options, &image_);
  if (!status.ok()) {
    Napi::Error::New(env, status.message()).ThrowAsJavaScriptException();
  }
}

void NativeWriter::OperationDone(bool ok, const std::string &message) {
  busy_ = false;
  if (!ok) {
    failure_ = message;
    image_.reset();
  }
}

Image *NativeWriter::Acquire(Napi::Env env) {
  const char *problem = nullptr;
  if (busy_) {
    problem = "another operation on this squashfs writer is still running";
  } else if (!failure_.empty()) {
    problem = failure_.c_str();
  } else if (!image_) {
    problem = "this squashfs writer is finished or closed";
  }
  if (problem != nullptr) {
    Napi::Error::New(env, problem).ThrowAsJavaScriptException();
    return nullptr;
  }
  return image_.get();
}

Napi::Value NativeWriter::WriteFile(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Value chunk = info[0];
  bool isBytes = chunk.IsTypedArray() &&
                 chunk.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array;
  if (!(isBytes || chunk.IsNull()) || !info[1].IsBoolean() || !info[2].IsBoolean()) {
    Napi::TypeError::New(env, "writeFile(chunk: Uint8Array | null, begin: boolean, end: boolean)")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Image *image = Acquire(env);
  if (image == nullptr) return env.Undefined();

  auto *task = new WriteFileTask(env, this, image, chunk, info[1].As<Napi::Boolean>(),
                                 info[2].As<Napi::Boolean>());
  busy_ = true;
  task->Queue();
  return task->Promise();
}

Napi::Value NativeWriter::WriteStoredFiles(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::vector<StoredFile> files;
  if (!ReadStoredFiles(info, &files)) return env.Undefined();
  Image *image = Acquire(env);
  if (image == nullptr) return env.Undefined();

  auto *task = new WriteStoredFilesTask(env, this, image, std::move(files));
  busy_ = true;
  task->Queue();
  return task->Promise();
}

Napi::Value NativeWriter::Finish(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Plan plan;
  if (!ReadPlan(info, &plan)) return env.Undefined();
  Image *image = Acquire(env);
  if (image == nullptr) return env.Undefined();

  auto *task = new FinishTask(env, this, image, std::move(plan));
  busy_ = true;
  task->Queue();
  return task->Promise();
}

Napi::Value NativeWriter::Abort(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (busy_) {
    Napi::Error::New(env, "cannot abort while an operation is running")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  image_.reset();
  if (failure_.empty()) failure_ = "this squashfs writer was aborted";
  return env.Undefined();
}

}  // namespace levitate
