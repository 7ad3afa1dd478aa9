#pragma once

#include "image.h"
#include "sha256.h"
#include "status.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace levitate {

// A file on the host whose content is known by its size and SHA-256.
struct StoredFile {
  std::string path;
  Digest sha256;
  uint64_t size;
};

struct StoredFilesOutcome {
  // Data slots of the files written, in order.
  std::vector<uint32_t> slots;
  // Index of the first file that does not hold its content (nothing of it was written), or -1.
  int64_t stoppedAt = -1;
  std::string reason;
};

// Checks each file's size and SHA-256, then writes it as the next file's data: small files are
// read once, whole; large ones are read in 1 MiB chunks twice, to check and to write, so no
// more than that is held. Stops, without writing anything of it, at the first file that is
// missing, unreadable or not what it should be; a failure of the image itself, or a large file
// that changes between the two reads, is the returned Status.
Status WriteStoredFiles(Image *image, const std::vector<StoredFile> &files,
                        StoredFilesOutcome *outcome);

}  // namespace levitate
