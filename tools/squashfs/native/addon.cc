#include "native_writer.h"
#include "tree_reader.h"

#include <napi.h>

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  levitate::NativeWriter::Register(env, exports);
  levitate::RegisterTreeReader(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(squashfs, Init)
