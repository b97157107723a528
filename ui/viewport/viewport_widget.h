// The viewport: shows the image being made (latent previews while sampling, the
// decoded image at the end) or one picked in the gallery, with fit / 1:1 / wheel
// zoom and drag to pan.
//
// Frames are drawn, in order of preference, by
//   1. the gpu/vulkan presenter into a native child window (surface_viewport.h: a
//      swapchain, no readback, the ImGui HUD toggled with H) on X11 / Wayland;
//   2. the presenter offscreen, read back and blitted (frame_renderer.h);
//   3. QPainter.
// A path that fails drops to the next one for good. DC_VIEWPORT_RENDERER=offscreen
// starts at 2, =painter at 3. The zoom/pan state here drives every path; in the
// window path the caption is a strip under the window.
#pragma once

#include <QImage>
#include <QPointF>
#include <QWidget>
#include <memory>

#include "core/base/result.h"

namespace dc::ui {

class FrameRenderer;
class SurfaceViewport;
struct HudLines;

class ViewportWidget : public QWidget {
  Q_OBJECT

 public:
  explicit ViewportWidget(QWidget* parent = nullptr);
  ~ViewportWidget() override;

  // `display_size`: the size the image stands for (a latent preview is shown at the
  // size of the image being made, so the view does not jump when it arrives);
  // empty: the image's own size.
  void setImage(const QImage& image, const QString& caption, QSize display_size = {});
  void clear();
  const QImage& image() const { return image_; }
  const QString& caption() const { return caption_; }
  QSize displaySize() const;  // what the image stands for (empty when there is none)

  void fitToWindow();
  void showActualSize();  // 1:1
  bool isFit() const { return fit_; }
  double zoom() const;    // display pixels per image pixel

  // "Vulkan (window surface): <device>", "Vulkan: <device>" or "QPainter (<why no presenter>)";
  // decided at the first image.
  QString rendererDescription() const;
  // The HUD's step / speed / VRAM lines (window path only; otherwise ignored).
  void setHudStats(const HudLines& stats);
  bool hudVisible() const;
  int framesPresented() const;  // window path: swapchain frames shown so far (tests)

  QSize sizeHint() const override { return {640, 640}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  QRectF imageRect() const;  // where the image lands in widget coordinates
  QSize viewSize() const;    // the area the image is drawn in (the window path leaves a caption strip)
  int captionStripHeight() const;
  void refresh();            // repaint, and hand the view to the window path
  void chooseRenderer();
  void dropSurface(const Error& why);
  bool smoothing() const;
  bool paintWithRenderer(QPainter& painter);  // false: paint with QPainter instead
  void paintCaption(QPainter& painter);

  QImage image_;
  QSize display_size_;
  QString caption_;
  bool fit_ = true;
  double zoom_ = 1.0;  // when not fit
  QPointF pan_;        // image centre offset from the widget centre, display pixels
  QPointF drag_from_;

  std::unique_ptr<SurfaceViewport> surface_;
  std::unique_ptr<FrameRenderer> renderer_;
  bool renderer_tried_ = false;
  bool upload_pending_ = false;
  QString renderer_note_;  // why QPainter paints
};

}  // namespace dc::ui
