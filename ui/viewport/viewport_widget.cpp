#include "ui/viewport/viewport_widget.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace dc::ui {
namespace {

constexpr double kMinZoom = 1.0 / 32;
constexpr double kMaxZoom = 64;
constexpr double kWheelStep = 1.25;  // per notch

}  // namespace

ViewportWidget::ViewportWidget(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("viewport"));
  setFocusPolicy(Qt::ClickFocus);
  setMinimumSize(320, 240);
  setAutoFillBackground(false);
}

void ViewportWidget::setImage(const QImage& image, const QString& caption, QSize display_size) {
  if (display_size.isEmpty()) display_size = image.size();
  // A new size starts fitted; updates of the same size (each preview step) keep the view.
  if (display_size != displaySize()) fitToWindow();
  image_ = image;
  display_size_ = display_size;
  caption_ = caption;
  update();
}

QSize ViewportWidget::displaySize() const { return image_.isNull() ? QSize() : display_size_; }

void ViewportWidget::clear() {
  image_ = QImage();
  display_size_ = {};
  caption_.clear();
  update();
}

void ViewportWidget::fitToWindow() {
  fit_ = true;
  pan_ = {};
  update();
}

void ViewportWidget::showActualSize() {
  fit_ = false;
  zoom_ = 1.0;
  pan_ = {};
  update();
}

double ViewportWidget::zoom() const {
  if (!fit_ || image_.isNull()) return zoom_;
  const QSize size = displaySize();
  return std::min(width() / static_cast<double>(size.width()), height() / static_cast<double>(size.height()));
}

QRectF ViewportWidget::imageRect() const {
  const double z = zoom();
  const QSizeF size(displaySize().width() * z, displaySize().height() * z);
  const QPointF centre = QPointF(width() / 2.0, height() / 2.0) + pan_;
  return {centre - QPointF(size.width() / 2, size.height() / 2), size};
}

void ViewportWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), QColor(0x1e, 0x1e, 0x22));
  if (image_.isNull()) {
    p.setPen(QColor(0x90, 0x90, 0x98));
    p.drawText(rect(), Qt::AlignCenter, tr("Write a prompt and press Generate (Ctrl+Enter)"));
    return;
  }
  // Pixels magnified past 1:1 stay sharp squares (for inspecting a result); a
  // latent preview, smaller than what it stands for, is smoothed.
  const double pixel_scale = zoom() * displaySize().width() / image_.width();
  p.setRenderHint(QPainter::SmoothPixmapTransform, image_.size() != displaySize() || pixel_scale < 1.0);
  p.drawImage(imageRect(), image_);
  if (!caption_.isEmpty()) {
    const QString text = QStringLiteral("%1  ·  %2×%3  ·  %4%")
                             .arg(caption_)
                             .arg(displaySize().width())
                             .arg(displaySize().height())
                             .arg(std::lround(zoom() * 100));
    const QRect box = p.fontMetrics().boundingRect(text).adjusted(-8, -4, 8, 4);
    const QRect placed(QPoint(8, height() - box.height() - 8), box.size());
    p.fillRect(placed, QColor(0, 0, 0, 150));
    p.setPen(Qt::white);
    p.drawText(placed, Qt::AlignCenter, text);
  }
}

void ViewportWidget::wheelEvent(QWheelEvent* event) {
  if (image_.isNull()) return;
  const double notches = event->angleDelta().y() / 120.0;
  const double before = zoom();
  const double after = std::clamp(before * std::pow(kWheelStep, notches), kMinZoom, kMaxZoom);
  // Keep the image point under the cursor where it is.
  const QPointF centre = QPointF(width() / 2.0, height() / 2.0);
  const QPointF cursor = event->position();
  pan_ = cursor - (cursor - centre - pan_) * (after / before) - centre;
  fit_ = false;
  zoom_ = after;
  update();
  event->accept();
}

void ViewportWidget::mousePressEvent(QMouseEvent* event) { drag_from_ = event->position(); }

void ViewportWidget::mouseMoveEvent(QMouseEvent* event) {
  if (!(event->buttons() & Qt::LeftButton) || image_.isNull()) return;
  if (fit_) {
    zoom_ = zoom();
    fit_ = false;
  }
  pan_ += event->position() - drag_from_;
  drag_from_ = event->position();
  update();
}

void ViewportWidget::mouseDoubleClickEvent(QMouseEvent*) {
  if (fit_) {
    showActualSize();
  } else {
    fitToWindow();
  }
}

void ViewportWidget::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_F: fitToWindow(); break;
    case Qt::Key_1: showActualSize(); break;
    default: QWidget::keyPressEvent(event);
  }
}

}  // namespace dc::ui
