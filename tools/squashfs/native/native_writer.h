#pragma once

#include "image.h"

#include <napi.h>

#include <memory>
#include <string>

namespace levitate {

// JS class `Writer`: owns one Image and runs its blocking work on the libuv thread pool. The
// JS side (src/writer.ts) keeps at most one operation in flight; a second one is refused.
class NativeWriter : public Napi::ObjectWrap<NativeWriter> {
 public:
  static void Register(Napi::Env env, Napi::Object exports);
  explicit NativeWriter(const Napi::CallbackInfo &info);

  // Called back on the JS thread when an async operation ends.
  void OperationDone(bool ok, const std::string &message);
  void ReleaseImage() { image_.reset(); }

 private:
  Napi::Value WriteFile(const Napi::CallbackInfo &info);
  Napi::Value WriteStoredFiles(const Napi::CallbackInfo &info);
  Napi::Value Finish(const Napi::CallbackInfo &info);
  Napi::Value Abort(const Napi::CallbackInfo &info);
  // Throws and returns nullptr when no operation may start now.
  Image *Acquire(Napi::Env env);

  std::unique_ptr<Image> image_;
  bool busy_ = false;
  std::string failure_;
};

}  // namespace levitate
