#include "js_args.h"

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

}  // namespace levitate
