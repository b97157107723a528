// The viewport's window-surface path: the gpu/vulkan presenter drawing straight
// into a native child window (QWindow + VkSurfaceKHR + swapchain), no readback,
// with the ImGui HUD on top. Used on window systems Vulkan can present to (X11,
// Wayland); the viewport keeps its offscreen/QPainter paths for everything else
// (QT_QPA_PLATFORM=offscreen, no Vulkan, DC_VIEWPORT_RENDERER=offscreen|painter).
//
//   QString why;
//   auto surface = make_surface_viewport(viewport_widget, &why);   // nullptr + why
//   layout->addWidget(surface->container());
//   surface->setImage(image);
//   surface->setView({container size, zoom, pan, smooth});         // presents on the next frame
//
// Mouse, wheel and key events reaching the native window are sent on to
// `event_target` (the ViewportWidget), whose coordinates equal the window's.
#pragma once

#include <QImage>
#include <QString>
#include <QWidget>
#include <functional>
#include <memory>

#include "core/base/result.h"
#include "ui/viewport/frame_renderer.h"

namespace dc::ui {

struct HudLines {
  int step = 0, total_steps = 0;
  double iterations_per_second = 0;
  quint64 vram_used_bytes = 0, vram_total_bytes = 0;
  QString status;
};

class SurfaceViewport {
 public:
  virtual ~SurfaceViewport() = default;
  virtual QWidget* container() = 0;          // the widget holding the native window
  virtual QString description() const = 0;  // "Vulkan (window surface): <device>"
  virtual Status setImage(const QImage& image) = 0;
  virtual void setView(const FrameRequest& request) = 0;  // request.target is ignored: the window's size
  virtual void setHudStats(const HudLines& stats) = 0;
  virtual void toggleHud() = 0;
  virtual bool hudVisible() const = 0;
  // Called (once) when presenting fails; the viewport then drops this path.
  virtual void onFailure(std::function<void(const Error&)> handler) = 0;
  virtual int framesPresented() const = 0;  // tests wait on this
};

// nullptr with the reason in `why_not` when this platform or build cannot present
// to a window (offscreen platform, no Vulkan, no swapchain support).
std::unique_ptr<SurfaceViewport> make_surface_viewport(QWidget* event_target, QString* why_not);

}  // namespace dc::ui
