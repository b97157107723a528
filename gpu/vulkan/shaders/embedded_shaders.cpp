#include "gpu/vulkan/shaders/embedded_shaders.h"

namespace dc::gpu::vulkan::shader {
namespace {

// Each .inc is glslc's `-mfmt=c` output: a braced list of SPIR-V words.
const uint32_t kPreviewVertex[] =
#include "preview.vert.inc"
    ;
const uint32_t kPreviewFragment[] =
#include "preview.frag.inc"
    ;

}  // namespace

std::span<const uint32_t> preview_vertex_spirv() { return kPreviewVertex; }
std::span<const uint32_t> preview_fragment_spirv() { return kPreviewFragment; }

}  // namespace dc::gpu::vulkan::shader
