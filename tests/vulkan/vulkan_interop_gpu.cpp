// CUDA -> Vulkan interop on the GPU machine: CUDA writes frames into memory the presenter
// exported, ordered by the exported timeline semaphore; the presenter shows them and the
// offscreen read-back must match the CPU reference of what CUDA wrote. Needs a Vulkan
// driver for the CUDA GPU (NVIDIA's ICD); skips with the reason when the CUDA GPU is not
// visible to Vulkan. Validation is on when the layer is installed.
#include <gtest/gtest.h>

#include <cuda_runtime_api.h>

#include <cstdio>
#include <cstring>
#include <mutex>

#include "gpu/vulkan/interop/cuda_interop.h"
#include "tests/vulkan/reference_support.h"

namespace dc::gpu::vulkan::test {
namespace {

constexpr float kBackground[3] = {0.2f, 0.4f, 0.6f};

class VulkanCudaInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) GTEST_SKIP() << "no CUDA device";
    auto uuid = cuda_device_uuid(0);
    ASSERT_TRUE(uuid.ok()) << uuid.error().message;
    if (!any_vulkan_device())
      GTEST_SKIP() << "no Vulkan device at all: the GPU machine needs the NVIDIA Vulkan driver (nvidia_icd.json)";
    PresenterOptions options;
    options.device.uuid = *uuid;
    options.instance.validation = Validation::kIfAvailable;
    options.instance.synchronization_validation = true;
    options.instance.on_message = [log = log_](MessageSeverity severity, const std::string& text) {
      if (severity == MessageSeverity::kInfo) return;
      std::fprintf(stderr, "[vulkan %s] %s\n", severity == MessageSeverity::kError ? "error" : "warning",
                   text.c_str());
      if (severity != MessageSeverity::kError) return;
      std::lock_guard<std::mutex> lock(log->mutex);
      log->errors.push_back(text);
    };
    for (int c = 0; c < 3; ++c) options.background[c] = kBackground[c];
    auto made = Presenter::create(options);
    if (!made && made.error().kind == ErrorKind::kNotSupported &&
        made.error().message.find("no Vulkan device with uuid") != std::string::npos)
      GTEST_SKIP() << "the CUDA GPU is not visible to Vulkan: " << made.error().message;
    ASSERT_TRUE(made.ok()) << made.error().message;
    presenter_ = std::move(made).value();
    ASSERT_TRUE(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking) == cudaSuccess);
    std::printf("Vulkan device %s\n", presenter_->device_capabilities().name.c_str());
  }
  void TearDown() override {
    frame_.reset();  // the CUDA import goes before the presenter's target
    if (stream_) cudaStreamDestroy(stream_);
    presenter_.reset();  // errors at teardown (objects left alive) are reported too
    std::string all;
    for (const std::string& e : log_->errors) all += "\n  " + e;
    EXPECT_TRUE(all.empty()) << "Vulkan validation errors:" << all;
  }

  void expect_shown(const StoredImage& source, uint32_t tw, uint32_t th, int tolerance) {
    const std::vector<uint8_t> got = render(*presenter_, tw, th);
    const auto want = reference_render(source, look_of(*presenter_, source, tw, th, kBackground), tw, th);
    const Difference d = compare_rgba8(got, want, tw);
    EXPECT_LE(d.max, tolerance) << d.differing << " channels differ; worst at " << d.first;
  }

  std::shared_ptr<ValidationLog> log_ = std::make_shared<ValidationLog>();
  std::unique_ptr<Presenter> presenter_;
  std::unique_ptr<CudaInteropFrame> frame_;
  cudaStream_t stream_ = nullptr;
};

TEST_F(VulkanCudaInterop, FloatFramesFromDeviceMemory) {
  const uint32_t w = 61, h = 37;
  auto target = presenter_->interop_target({w, h, InteropFormat::kRgba32F});
  ASSERT_TRUE(target.ok()) << target.error().message;
  auto frame = CudaInteropFrame::import(**target, 0);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  frame_ = std::move(frame).value();
  ASSERT_TRUE(presenter_->set_view({ViewMode::kZoom, 2.0f, 3.0f, -2.0f}).ok());

  // A padded device source: rows 64 bytes longer than the frame's.
  const size_t pitch = w * 16 + 64;
  void* d_src = nullptr;
  ASSERT_EQ(cudaMalloc(&d_src, pitch * h), cudaSuccess);
  for (uint32_t k = 1; k <= 3; ++k) {
    SCOPED_TRACE("frame " + std::to_string(k));
    const auto pixels = pattern_f32(w, h, 4, 40 + k, 0.0f, 1.0f);
    ASSERT_EQ(cudaMemcpy2D(d_src, pitch, pixels.data(), w * 16, w * 16, h, cudaMemcpyHostToDevice), cudaSuccess);
    auto written = frame_->write(d_src, pitch, cudaMemcpyDeviceToDevice, stream_);
    ASSERT_TRUE(written.ok()) << written.error().message;
    ASSERT_TRUE(*written);
    // Not yet shown: the next frame is dropped rather than stalling the stream.
    auto dropped = frame_->write(d_src, pitch, cudaMemcpyDeviceToDevice, stream_);
    ASSERT_TRUE(dropped.ok()) << dropped.error().message;
    EXPECT_FALSE(*dropped);
    const HostImage as_host{pixels.data(), w, h, PixelFormat::kRgba32F};
    expect_shown(stored(as_host), 160, 100, 1);
  }
  cudaFree(d_src);
}

TEST_F(VulkanCudaInterop, ByteFramesWrittenBetweenBeginAndEnd) {
  const uint32_t w = 40, h = 24;
  auto target = presenter_->interop_target({w, h, InteropFormat::kRgba8});
  ASSERT_TRUE(target.ok()) << target.error().message;
  auto frame = CudaInteropFrame::import(**target, 0);
  ASSERT_TRUE(frame.ok()) << frame.error().message;
  frame_ = std::move(frame).value();
  ASSERT_TRUE(presenter_->set_view({ViewMode::kOneToOne}).ok());
  const auto pixels = pattern_u8(w, h, 4, 50);
  auto begun = frame_->begin(stream_);
  ASSERT_TRUE(begun.ok()) << begun.error().message;
  ASSERT_TRUE(*begun);
  // What an engine kernel would do: write the rows itself (here a host -> device copy).
  ASSERT_EQ(cudaMemcpy2DAsync(frame_->data(), frame_->row_pitch(), pixels.data(), w * 4, w * 4, h,
                              cudaMemcpyHostToDevice, stream_),
            cudaSuccess);
  ASSERT_TRUE(frame_->end(stream_).ok());
  const HostImage as_host{pixels.data(), w, h, PixelFormat::kRgba8};
  expect_shown(stored(as_host), 64, 32, 0);

  // A different size: the old import is released first, then the target is remade.
  frame_.reset();
  auto bigger = presenter_->interop_target({w * 2, h, InteropFormat::kRgba8});
  ASSERT_TRUE(bigger.ok()) << bigger.error().message;
  auto again = CudaInteropFrame::import(**bigger, 0);
  ASSERT_TRUE(again.ok()) << again.error().message;
  frame_ = std::move(again).value();
  const auto wide = pattern_u8(w * 2, h, 4, 51);
  auto written = frame_->write(wide.data(), w * 8, cudaMemcpyHostToDevice, stream_);
  ASSERT_TRUE(written.ok() && *written);
  const HostImage wide_host{wide.data(), w * 2, h, PixelFormat::kRgba8};
  expect_shown(stored(wide_host), 96, 32, 0);
}

}  // namespace
}  // namespace dc::gpu::vulkan::test
