#include "core/io/safetensors/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace dc {
namespace {

Error os_error(const std::filesystem::path& path, const char* what, int err) {
  std::string msg = path.string() + ": " + what + " failed: " + std::strerror(err);
  if (err == ENOENT) return Error::not_found(std::move(msg));
  return Error::io(std::move(msg));
}

// Closes the descriptor on every path out of open(); the mapping does not need it.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<MappedFile> MappedFile::open(const std::filesystem::path& path) {
  int fd;
  do {
    // O_NONBLOCK: opening a FIFO must not hang before fstat rejects it.
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return os_error(path, "open", errno);
  FdGuard guard{fd};

  struct stat st {};
  if (::fstat(fd, &st) != 0) return os_error(path, "fstat", errno);
  if (!S_ISREG(st.st_mode)) return Error::invalid_argument(path.string() + ": not a regular file");

  MappedFile file;
  file.path_ = path;
  if (st.st_size == 0) return file;

  void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) return os_error(path, "mmap", errno);
  file.data_ = static_cast<const uint8_t*>(p);
  file.size_ = static_cast<size_t>(st.st_size);
  return file;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      path_(std::move(other.path_)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    reset();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    path_ = std::move(other.path_);
  }
  return *this;
}

MappedFile::~MappedFile() { reset(); }

void MappedFile::reset() {
  if (data_) ::munmap(const_cast<uint8_t*>(data_), size_);
  data_ = nullptr;
  size_ = 0;
}

}  // namespace dc
