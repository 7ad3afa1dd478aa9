#include "js_args.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace levitate {

namespace {

bool Throw(Napi::Env env, const std::string &message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return false;
}

bool ReadUint32(Napi::Env env, Napi::Object object, const char *key, uint32_t *out) {
  Napi::Value value = object.Get(key);
  if (env.IsExceptionPending()) return false;
  if (!value.IsNumber()) return Throw(env, std::string("option ") + key + " must be a number");
  double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= 0 && number <= 4294967295.0) || std::floor(number) != number) {
    return Throw(env, std::string("option ") + key + " must be an unsigned 32-bit integer");
  }
  *out = static_cast<uint32_t>(number);
  return true;
}

bool ReadBool(Napi::Env env, Napi::Object object, const char *key, bool *out) {
  Napi::Value value = object.Get(key);
  if (env.IsExceptionPending()) return false;
  if (!value.IsBoolean()) return Throw(env, std::string("option ") + key + " must be a boolean");
  *out = value.As<Napi::Boolean>().Value();
  return true;
}

template <typename Element>
bool CopyTyped(Napi::Env env, Napi::Value value, napi_typedarray_type type, const char *what,
               std::vector<Element> *out) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    return Throw(env, std::string(what) + " has the wrong array type");
  }
  Napi::TypedArrayOf<Element> array = value.As<Napi::TypedArrayOf<Element>>();
  out->assign(array.Data(), array.Data() + array.ElementLength());
  return true;
}

}  // namespace

bool ReadImageOptions(Napi::Env env, Napi::Value value, ImageOptions *out) {
  if (!value.IsObject()) return Throw(env, "options must be an object");
  Napi::Object object = value.As<Napi::Object>();

  Napi::Value compressor = object.Get("compressor");
  if (env.IsExceptionPending()) return false;
  std::string name = compressor.IsString() ? compressor.As<Napi::String>().Utf8Value() : "";
  if (name == "xz") {
    out->compressor = SQFS_COMP_XZ;
  } else if (name == "zstd") {
    out->compressor = SQFS_COMP_ZSTD;
  } else {
    return Throw(env, "compressor must be 'xz' or 'zstd'");
  }

  Napi::Value blockCache = object.Get("blockCache");
  if (env.IsExceptionPending()) return false;
  if (!blockCache.IsUndefined()) {
    if (!blockCache.IsString()) return Throw(env, "option blockCache must be a string");
    out->blockCache = blockCache.As<Napi::String>().Utf8Value();
    if (out->blockCache.empty()) return Throw(env, "option blockCache must not be empty");
  }

  Napi::Value level = object.Get("level");
  if (env.IsExceptionPending()) return false;
  out->hasLevel = !level.IsUndefined();
  return (!out->hasLevel || ReadUint32(env, object, "level", &out->level)) &&
         ReadBool(env, object, "bcjX86", &out->bcjX86) &&
         ReadUint32(env, object, "blockSize", &out->blockSize) &&
         ReadUint32(env, object, "mkfsTime", &out->mkfsTime) &&
         ReadUint32(env, object, "workers", &out->workers) &&
         ReadBool(env, object, "exportable", &out->exportable);
}

bool CopyUint32Array(Napi::Env env, Napi::Value value, const char *what,
                     std::vector<uint32_t> *out) {
  return CopyTyped(env, value, napi_uint32_array, what, out);
}

bool CopyUint8Array(Napi::Env env, Napi::Value value, const char *what,
                    std::vector<uint8_t> *out) {
  return CopyTyped(env, value, napi_uint8_array, what, out);
}

bool ReadPlan(const Napi::CallbackInfo &info, Plan *out) {
  Napi::Env env = info.Env();
  return CopyUint32Array(env, info[0], "records", &out->records) &&
         CopyUint32Array(env, info[1], "entries", &out->entries) &&
         CopyUint32Array(env, info[2], "xattrSets", &out->xattrSets) &&
         CopyUint32Array(env, info[3], "xattrPairs", &out->xattrPairs) &&
         CopyUint8Array(env, info[4], "blob", &out->blob);
}

bool ReadStoredFiles(const Napi::CallbackInfo &info, std::vector<StoredFile> *out) {
  Napi::Env env = info.Env();
  const char *usage =
      "writeStoredFiles(paths: string[], digests: Uint8Array, sizes: number[]): one 32-byte "
      "SHA-256 and one size per path";
  std::vector<uint8_t> digests;
  if (!info[0].IsArray() || !info[2].IsArray() ||
      !CopyUint8Array(env, info[1], "digests", &digests)) {
    if (!env.IsExceptionPending()) Napi::TypeError::New(env, usage).ThrowAsJavaScriptException();
    return false;
  }
  Napi::Array paths = info[0].As<Napi::Array>();
  Napi::Array sizes = info[2].As<Napi::Array>();
  uint32_t count = paths.Length();
  if (sizes.Length() != count || digests.size() != static_cast<size_t>(count) * 32) {
    Napi::TypeError::New(env, usage).ThrowAsJavaScriptException();
    return false;
  }
  out->reserve(count);
  for (uint32_t index = 0; index < count; ++index) {
    Napi::Value path = paths.Get(index);
    Napi::Value size = sizes.Get(index);
    if (!path.IsString() || !size.IsNumber()) {
      Napi::TypeError::New(env, usage).ThrowAsJavaScriptException();
      return false;
    }
    double bytes = size.As<Napi::Number>().DoubleValue();
    if (!(bytes >= 0) || bytes > 9007199254740991.0 ||
        bytes != static_cast<double>(static_cast<uint64_t>(bytes))) {
      Napi::TypeError::New(env, usage).ThrowAsJavaScriptException();
      return false;
    }
    StoredFile file;
    file.path = path.As<Napi::String>().Utf8Value();
    std::copy(digests.begin() + index * 32, digests.begin() + (index + 1) * 32,
              file.sha256.begin());
    file.size = static_cast<uint64_t>(bytes);
    out->push_back(std::move(file));
  }
  return true;
}

}  // namespace levitate
