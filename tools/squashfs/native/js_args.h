#pragma once

#include "image.h"
#include "plan.h"
#include "stored_files.h"

#include <napi.h>

#include <cstdint>
#include <vector>

namespace levitate {

// Each returns false after throwing a TypeError into `env`.
bool ReadImageOptions(Napi::Env env, Napi::Value value, ImageOptions *out);
bool CopyUint32Array(Napi::Env env, Napi::Value value, const char *what,
                     std::vector<uint32_t> *out);
bool CopyUint8Array(Napi::Env env, Napi::Value value, const char *what,
                    std::vector<uint8_t> *out);
bool ReadPlan(const Napi::CallbackInfo &info, Plan *out);
// (paths: string[], digests: Uint8Array of 32 bytes each, sizes: number[])
bool ReadStoredFiles(const Napi::CallbackInfo &info, std::vector<StoredFile> *out);

}  // namespace levitate
