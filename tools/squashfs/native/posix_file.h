#pragma once

#include "sqfs_handles.h"
#include "status.h"

#include <string>

namespace levitate {

// Creates (or truncates) the output image and wraps it in a sqfs_file_t whose writes are tracked
// so failures can be reported with errno. Release it with sqfs_destroy (closes without syncing).
Status OpenOutputFile(const std::string &path, SqfsPtr<sqfs_file_t> *out);

// Text of the last failed system call on a file opened with OpenOutputFile, or "" if none.
std::string LastFileError(const sqfs_file_t *file);

// Appends zero bytes until the file size is a multiple of `alignment`.
int PadFile(sqfs_file_t *file, sqfs_u64 alignment);

// fsync()s and close()s the descriptor, reporting either failure. The object stays valid (and
// must still be destroyed) but refuses further I/O.
Status SyncAndClose(sqfs_file_t *file);

}  // namespace levitate
