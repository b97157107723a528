// The conv shapes of bench_conv (and, mirrored, bench_conv_torch.py): DC-AE decoder
// convolutions at 4096² output (f32c32-sana-1.0 layout), N = 1.
#pragma once

#include <cstdint>

namespace dc::bench {

struct ConvShape {
  const char* name;
  int64_t c_in, size, c_out, kernel;  // input [1, c_in, size, size], kernel × kernel
  int stride, padding, groups;
  bool bias, residual;
};

inline constexpr ConvShape kConvShapes[] = {
    {"res128", 128, 4096, 128, 3, 1, 1, 1, true, false},      // stage-0 ResBlock conv1
    {"res128nb", 128, 4096, 128, 3, 1, 1, 1, false, false},   // stage-0 ResBlock conv2
    {"res128r", 128, 4096, 128, 3, 1, 1, 1, true, true},      // with a fused residual
    {"up256", 256, 4096, 128, 3, 1, 1, 1, true, false},       // stage-0 upsample conv (after nearest 2x)
    {"out128", 128, 4096, 3, 3, 1, 1, 1, true, false},        // conv_out
    {"pw128", 128, 4096, 128, 1, 1, 0, 1, true, false},       // 1x1 at full size
    {"down128", 128, 4096, 256, 3, 2, 1, 1, true, false},     // stride 2 (encoder direction)
    {"res256", 256, 2048, 256, 3, 1, 1, 1, true, false},      // stage-1 ResBlock
    {"up512", 512, 2048, 256, 3, 1, 1, 1, true, false},       // stage-1 upsample conv
    {"pw256", 256, 2048, 256, 1, 1, 0, 1, true, false},
    {"res512", 512, 1024, 512, 3, 1, 1, 1, true, false},      // stage-2 ResBlock and upsample conv
    {"pw512", 512, 1024, 512, 1, 1, 0, 1, true, false},
    {"qkv512", 512, 512, 1536, 1, 1, 0, 1, false, false},     // stage-3 attention qkv
    {"ms_dw5", 1536, 512, 1536, 5, 1, 2, 1536, false, false}, // multiscale depthwise 5x5
    {"ms_g1x1", 1536, 512, 1536, 1, 1, 0, 48, false, false},  // multiscale grouped 1x1 (3·heads groups)
    {"glu_in", 512, 512, 4096, 1, 1, 0, 1, true, false},      // GLUMBConv inverted conv
    {"glu_dw", 4096, 512, 4096, 3, 1, 1, 4096, true, false},  // GLUMBConv depthwise
    {"glu_out", 2048, 512, 512, 1, 1, 0, 1, false, false},    // GLUMBConv point conv
};

}  // namespace dc::bench
