#include "core/tensor/cuda_context.h"

#ifdef DC_HAVE_CUDA
#include <memory>

#include "gpu/cuda/common/runtime.h"
#endif

namespace dc {

bool cuda_compiled() {
#ifdef DC_HAVE_CUDA
  return true;
#else
  return false;
#endif
}

#ifdef DC_HAVE_CUDA

namespace {
thread_local void* t_stream_override = nullptr;
thread_local std::unique_ptr<gpu::Stream> t_own_stream;

struct Probe {
  int count = 0;
  std::string error;
};
const Probe& probe() {
  static const Probe p = [] {
    Probe r;
    r.error = gpu::device_count(&r.count);
    return r;
  }();
  return p;
}
}  // namespace

bool cuda_available() { return probe().error.empty() && probe().count > 0; }

Status require_cuda() {
  if (!probe().error.empty()) return Error::not_supported("CUDA is unavailable: " + probe().error);
  if (probe().count == 0) return Error::not_supported("no CUDA device found");
  return {};
}

void* current_cuda_stream() {
  if (t_stream_override) return t_stream_override;
  if (!t_own_stream) t_own_stream = std::make_unique<gpu::Stream>();
  return t_own_stream->get();
}

CudaStreamGuard::CudaStreamGuard(void* stream) : previous_(t_stream_override) { t_stream_override = stream; }
CudaStreamGuard::~CudaStreamGuard() { t_stream_override = previous_; }

Status cuda_synchronize() {
  DC_TRY_STATUS(require_cuda());
  std::string e = gpu::stream_synchronize(static_cast<cudaStream_t>(current_cuda_stream()));
  if (!e.empty()) return Error::internal("CUDA error: " + e);
  return {};
}

std::string cuda_device_description() {
  if (!cuda_available()) return "no CUDA device";
  std::string name;
  int arch = 0, sms = 0;
  gpu::device_name(0, &name);
  gpu::device_arch(0, &arch, &sms);
  size_t free_b = 0, total_b = 0;
  gpu::mem_get_info(&free_b, &total_b);
  return name + " (sm_" + std::to_string(arch) + ", " + std::to_string(sms) + " SMs, " +
         std::to_string(total_b >> 20) + " MiB)";
}

CudaDeviceMemory cuda_device_memory() {
  CudaDeviceMemory m;
  if (cuda_available()) gpu::mem_get_info(&m.free_bytes, &m.total_bytes);
  return m;
}

#else

bool cuda_available() { return false; }
Status require_cuda() {
  return Error::not_supported("this build of DC Studio has no CUDA support (configure with -DDC_CUDA=ON)");
}
void* current_cuda_stream() { return nullptr; }
CudaStreamGuard::CudaStreamGuard(void* stream) : previous_(stream) {}
CudaStreamGuard::~CudaStreamGuard() = default;
Status cuda_synchronize() { return require_cuda(); }
std::string cuda_device_description() { return "CUDA not compiled in"; }
CudaDeviceMemory cuda_device_memory() { return {}; }

#endif

}  // namespace dc
