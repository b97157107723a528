// SPIR-V of the GLSL in this folder, compiled by glslc at build time and embedded
// (gpu/vulkan/CMakeLists.txt writes <name>.inc word lists into the build tree).
//
//   VkShaderModuleCreateInfo info{...};
//   info.codeSize = preview_fragment_spirv().size_bytes();
//   info.pCode = preview_fragment_spirv().data();
#pragma once

#include <cstdint>
#include <span>

namespace dc::gpu::vulkan::shader {

std::span<const uint32_t> preview_vertex_spirv();
std::span<const uint32_t> preview_fragment_spirv();

}  // namespace dc::gpu::vulkan::shader
