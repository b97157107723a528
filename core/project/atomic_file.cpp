#include "core/project/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/base/log.h"

namespace dc::project {
namespace fs = std::filesystem;
namespace {

Error os_error(const fs::path& path, const char* what) {
  return Error::io(path.string() + ": " + what + " failed: " + std::strerror(errno));
}

fs::path folder_of(const fs::path& p) { return p.has_parent_path() ? p.parent_path() : fs::path("."); }

// Makes a rename durable. The new file is already in place, so a failure here
// is logged, not returned (as the safetensors writer does).
void sync_folder(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) log(LogLevel::kWarning, dir.string() + ": fsync of folder failed: " + std::strerror(errno));
  if (fd >= 0) ::close(fd);
}

Status write_all(int fd, const fs::path& path, std::string_view bytes) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return os_error(path, "write");
    p += n;
    left -= static_cast<size_t>(n);
  }
  return ok_status();
}

Status sync_and_close(int fd, const fs::path& path) {
  if (::fsync(fd) != 0) {
    const Error e = os_error(path, "fsync");
    ::close(fd);
    return e;
  }
  if (::close(fd) != 0) return os_error(path, "close");
  return ok_status();
}

}  // namespace

fs::path atomic_temp_path(const fs::path& dest) {
  static std::atomic<uint64_t> counter{0};
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on "." + std::string.
  std::string name = ".";
  name.append(dest.filename().string()).append(".tmp-").append(std::to_string(::getpid())).append("-");
  name.append(std::to_string(counter++)).append(dest.extension().string());
  return folder_of(dest) / name;
}

Status write_file_atomic(const fs::path& path, std::string_view bytes) {
  fs::path temp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {  // O_EXCL settles name races
    temp = atomic_temp_path(path);
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) return os_error(temp, "create");
  }
  if (fd < 0) return Error::io(path.string() + ": cannot find a free temporary file name");
  Status s = write_all(fd, temp, bytes);
  if (!s) {
    ::close(fd);
    ::unlink(temp.c_str());
    return s;
  }
  s = sync_and_close(fd, temp);
  if (!s) {
    ::unlink(temp.c_str());
    return s;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const Error e = os_error(path, "rename");
    ::unlink(temp.c_str());
    return e;
  }
  sync_folder(folder_of(path));
  return ok_status();
}

Status commit_atomic(const fs::path& temp, const fs::path& dest) {
  const int fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return os_error(temp, "open");
  Status s = sync_and_close(fd, temp);
  if (s && ::rename(temp.c_str(), dest.c_str()) != 0) s = os_error(dest, "rename");
  if (!s) {
    ::unlink(temp.c_str());
    return s;
  }
  sync_folder(folder_of(dest));
  return ok_status();
}

bool is_atomic_temp_of(std::string_view file_name, std::string_view dest_name) {
  // Writers that make their own temporary beside ours add another leading dot
  // (the safetensors writer: "..<name>.tmp-1-0.safetensors.tmp-1-1").
  if (!file_name.starts_with('.')) return false;
  file_name.remove_prefix(std::min(file_name.find_first_not_of('.'), file_name.size()));
  return file_name.starts_with(dest_name) && file_name.substr(dest_name.size()).starts_with(".tmp-");
}

}  // namespace dc::project
