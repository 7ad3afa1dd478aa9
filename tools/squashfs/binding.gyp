{
  "targets": [
    {
      "target_name": "squashfs",
      "sources": [
        "native/addon.cc",
        "native/async_tasks.cc",
        "native/block_cache.cc",
        "native/caching_compressor.cc",
        "native/compression_libraries.cc",
        "native/image.cc",
        "native/inode_factory.cc",
        "native/js_args.cc",
        "native/native_writer.cc",
        "native/posix_file.cc",
        "native/sha256.cc",
        "native/status.cc",
        "native/stored_files.cc",
        "native/tree_reader.cc",
        "native/tree_writer.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_CPP_EXCEPTIONS"],
      "libraries": ["-lsquashfs"],
      "cflags_cc": ["-std=c++17", "-O2"]
    }
  ]
}
