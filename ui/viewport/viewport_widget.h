// The viewport: shows the image being made (latent previews while sampling, the
// decoded image at the end) or one picked in the gallery, with fit / 1:1 / wheel
// zoom and drag to pan.
//
// This is the QPainter host. The gpu/vulkan presenter (tone-map, zoom on the
// GPU, CUDA interop) replaces the painting once its QWindow surface is hooked up;
// the zoom/pan state here is what it will be driven by.
#pragma once

#include <QImage>
#include <QPointF>
#include <QWidget>

namespace dc::ui {

class ViewportWidget : public QWidget {
  Q_OBJECT

 public:
  explicit ViewportWidget(QWidget* parent = nullptr);

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

  QSize sizeHint() const override { return {640, 640}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  QRectF imageRect() const;  // where the image lands in widget coordinates

  QImage image_;
  QSize display_size_;
  QString caption_;
  bool fit_ = true;
  double zoom_ = 1.0;  // when not fit
  QPointF pan_;        // image centre offset from the widget centre, display pixels
  QPointF drag_from_;
};

}  // namespace dc::ui
