#include "core/io/safetensors/safetensors_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "core/base/log.h"

namespace dc {
namespace {

constexpr size_t kGatherChunkBytes = 4 << 20;  // bounds the staging buffer for strided tensors

Error os_error(const std::filesystem::path& path, const char* what) {
  return Error::io(path.string() + ": " + what + " failed: " + std::strerror(errno));
}

size_t element_bytes(DType dtype) { return static_cast<size_t>(std::max(dtype_bits(dtype) / 8, 1)); }

// A temporary file beside the destination; removed unless commit() succeeded.
class TempFile {
 public:
  static Result<TempFile> create(const std::filesystem::path& dest) {
    static std::atomic<uint64_t> counter{0};
    const auto dir = dest.has_parent_path() ? dest.parent_path() : std::filesystem::path(".");
    for (int attempt = 0; attempt < 100; ++attempt) {
      TempFile t;
      // Hidden, and unique per process and attempt (O_EXCL below settles races).
      std::string name = dest.filename().string();
      name.insert(0, 1, '.');
      name.append(".tmp-").append(std::to_string(::getpid())).append("-").append(std::to_string(counter++));
      t.path_ = dir / name;
      t.fd_ = ::open(t.path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (t.fd_ >= 0) return t;
      if (errno != EEXIST) return os_error(t.path_, "create");
    }
    return Error::io(dest.string() + ": cannot find a free temporary file name");
  }

  TempFile() = default;
  TempFile(TempFile&& o) noexcept : path_(std::move(o.path_)), fd_(std::exchange(o.fd_, -1)) {}
  TempFile& operator=(TempFile&&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }

  Status write(const void* data, size_t bytes) {
    const auto* p = static_cast<const uint8_t*>(data);
    while (bytes > 0) {
      const ssize_t n = ::write(fd_, p, bytes);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return os_error(path_, "write");
      p += n;
      bytes -= static_cast<size_t>(n);
    }
    return ok_status();
  }

  // fsync + close + rename over `dest`; afterwards nothing is removed.
  Status commit(const std::filesystem::path& dest) {
    if (::fsync(fd_) != 0) return os_error(path_, "fsync");
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) return os_error(path_, "close");
    if (::rename(path_.c_str(), dest.c_str()) != 0) return os_error(dest, "rename");
    const auto dir = path_.parent_path();
    path_.clear();
    // Makes the rename itself durable. The new file is already in place, so a
    // failure here is reported but does not fail the write.
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0 || ::fsync(dir_fd) != 0)
      log(LogLevel::kWarning, dir.string() + ": fsync of folder failed: " + std::strerror(errno));
    if (dir_fd >= 0) ::close(dir_fd);
    return ok_status();
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// Writes a non-contiguous tensor element by element in row-major order.
Status write_strided(TempFile& out, const Tensor& t) {
  const size_t es = element_bytes(t.dtype());
  const int64_t rank = t.dim();
  const int64_t numel = t.numel();
  const auto* base = static_cast<const uint8_t*>(t.data_ptr());
  std::vector<uint8_t> buf(std::min(kGatherChunkBytes, static_cast<size_t>(numel) * es));
  std::vector<int64_t> index(rank, 0);
  int64_t offset = 0;  // elements, = sum(index[d] * stride[d])
  size_t used = 0;
  for (int64_t i = 0; i < numel; ++i) {
    std::memcpy(buf.data() + used, base + offset * static_cast<int64_t>(es), es);
    used += es;
    if (used + es > buf.size()) {
      DC_TRY_STATUS(out.write(buf.data(), used));
      used = 0;
    }
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < t.size(d)) {
        offset += t.stride(d);
        break;
      }
      offset -= (t.size(d) - 1) * t.stride(d);
      index[d] = 0;
    }
  }
  return out.write(buf.data(), used);
}

Status check_inputs(const std::filesystem::path& path, const std::vector<std::pair<std::string, Tensor>>& tensors) {
  std::set<std::string_view> seen;
  for (const auto& [name, t] : tensors) {
    const std::string where = path.string() + ": tensor '" + name + "'";
    if (name.empty() || name == "__metadata__")
      return Error::invalid_argument(path.string() + ": '" + name + "' is not a valid tensor name");
    if (!seen.insert(name).second) return Error::invalid_argument(where + " is given twice");
    if (!t.defined()) return Error::invalid_argument(where + " is undefined");
    if (!t.device().is_cpu())
      return Error::invalid_argument(where + " is on " + t.device().to_string() + "; copy it to the CPU first");
    if (t.dtype() == DType::kI4 && (!t.is_contiguous() || t.offset() % 2 != 0))
      return Error::invalid_argument(where + ": int4 tensors must be contiguous and byte aligned");
  }
  return ok_status();
}

}  // namespace

Status write_safetensors(const std::filesystem::path& path,
                         const std::vector<std::pair<std::string, Tensor>>& tensors,
                         const std::map<std::string, std::string>& metadata) {
  DC_TRY_STATUS(check_inputs(path, tensors));

  std::vector<size_t> order(tensors.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return element_bytes(tensors[a].second.dtype()) > element_bytes(tensors[b].second.dtype());
  });

  std::string header;
  try {
    nlohmann::ordered_json root = nlohmann::ordered_json::object();
    if (!metadata.empty()) root["__metadata__"] = metadata;
    uint64_t offset = 0;
    for (size_t i : order) {
      const Tensor& t = tensors[i].second;
      const uint64_t bytes = t.nbytes();
      root[tensors[i].first] = {{"dtype", dtype_safetensors_name(t.dtype())},
                                {"shape", t.shape()},
                                {"data_offsets", {offset, offset + bytes}}};
      offset += bytes;
    }
    header = root.dump();
  } catch (const nlohmann::json::exception& e) {
    return Error::invalid_argument(path.string() + ": tensor names and metadata must be UTF-8 text: " + e.what());
  }
  header.append((8 - header.size() % 8) % 8, ' ');

  uint8_t length[8];
  for (int i = 0; i < 8; ++i) length[i] = static_cast<uint8_t>(static_cast<uint64_t>(header.size()) >> (8 * i));

  DC_TRY(TempFile out, TempFile::create(path));
  DC_TRY_STATUS(out.write(length, sizeof(length)));
  DC_TRY_STATUS(out.write(header.data(), header.size()));
  for (size_t i : order) {
    const Tensor& t = tensors[i].second;
    if (t.numel() == 0) continue;
    if (t.is_contiguous()) {
      DC_TRY_STATUS(out.write(t.data_ptr(), t.nbytes()));
    } else {
      DC_TRY_STATUS(write_strided(out, t));
    }
  }
  return out.commit(path);
}

}  // namespace dc
