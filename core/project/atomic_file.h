// Files that are either the old version or the new one, never half of one, even
// when the process is killed or the machine loses power mid-write:
// write a temporary file beside the destination, fsync it, rename it over the
// destination, fsync the folder (so the rename itself is durable).
//
//   DC_TRY_STATUS(write_file_atomic("film.dcproj", text));
//
//   // A file some other writer produces (an image encoder):
//   const auto tmp = atomic_temp_path("out/intro.png");   // out/.intro.png.tmp-<pid>-<n>.png
//   ... write tmp ...
//   DC_TRY_STATUS(commit_atomic(tmp, "out/intro.png"));
#pragma once

#include <filesystem>
#include <string_view>

#include "core/base/result.h"

namespace dc::project {

// kIo naming the path and the OS's reason; on failure `path` is untouched and no
// temporary file is left.
Status write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// A hidden, process-unique name in `dest`'s folder ending in `dest`'s extension
// (so writers that pick a format by extension still work):
// ".<name>.tmp-<pid>-<counter><ext>". Stale ones are recognised by is_atomic_temp_of.
std::filesystem::path atomic_temp_path(const std::filesystem::path& dest);

// fsync `temp`, rename it to `dest`, fsync the folder. On failure `temp` is removed.
Status commit_atomic(const std::filesystem::path& temp, const std::filesystem::path& dest);

// True when `file_name` is a temporary left for `dest_name` by atomic_temp_path (or
// by a writer that derived its own temporary from one): ".<dest_name>.tmp-*",
// with any number of leading dots.
bool is_atomic_temp_of(std::string_view file_name, std::string_view dest_name);

}  // namespace dc::project
