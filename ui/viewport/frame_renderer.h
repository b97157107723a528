// How the viewport draws its image when a GPU presenter is available: the image
// is handed over once, and each paint asks for a frame of the widget's size at a
// zoom and pan, which the viewport then blits. Without one (no Vulkan device, a
// build without gpu/vulkan, DC_VIEWPORT_RENDERER=painter), the viewport paints
// with QPainter itself.
//
//   QString why;
//   std::unique_ptr<FrameRenderer> r = make_gpu_frame_renderer(&why);   // nullptr + why
//   DC_TRY_STATUS(r->setImage(image));
//   DC_TRY(QImage frame, r->render({size, zoom, pan, smooth}));
#pragma once

#include <QImage>
#include <QPointF>
#include <QSize>
#include <QString>
#include <memory>

#include "core/base/result.h"

namespace dc::ui {

struct FrameRequest {
  QSize target;         // device pixels
  double zoom = 1.0;    // target pixels per source-image pixel
  QPointF pan;          // target pixels the image centre moves from the target centre
  bool smooth = false;  // bilinear (previews, shrinking) or nearest (pixels as squares)
};

class FrameRenderer {
 public:
  virtual ~FrameRenderer() = default;
  virtual QString description() const = 0;  // e.g. "Vulkan: llvmpipe (LLVM 15.0.6, 256 bits)"
  virtual Status setImage(const QImage& image) = 0;
  virtual Result<QImage> render(const FrameRequest& request) = 0;
};

// The gpu/vulkan presenter drawing offscreen (read back into a QImage), or nullptr
// with the reason in `why_not`. The window-surface path (QWindow + swapchain) is
// not hooked up yet; this one works on any platform, offscreen included.
std::unique_ptr<FrameRenderer> make_gpu_frame_renderer(QString* why_not);

}  // namespace dc::ui
