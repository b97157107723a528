// The viewport's window-surface path (ui/viewport/surface_viewport.h) on a real X server:
// ctest runs this class under xvfb-run with QT_QPA_PLATFORM=xcb, where Mesa lavapipe
// presents through a swapchain into the viewport's native child window. The window's
// pixels are read back from the X server and checked: placement when fitted and at 1:1,
// zoom about the cursor from a wheel event delivered to the native window, the HUD key.
// On other platforms (offscreen) every case skips.
#include <QApplication>
#include <QGuiApplication>
#include <QScreen>
#include <QTest>
#include <QWheelEvent>
#include <QWindow>

#include "tests/ui/ui_test_registry.h"
#include "ui/viewport/viewport_widget.h"

namespace dc::ui {
namespace {

const QColor kBackground(0x1e, 0x1e, 0x22);
const QColor kQuadrants[4] = {QColor(250, 20, 20), QColor(20, 240, 30), QColor(30, 40, 230), QColor(200, 200, 60)};

QImage quadrant_image() {  // 64 x 48: top-left, top-right, bottom-left, bottom-right
  QImage image(64, 48, QImage::Format_RGB888);
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 64; ++x) image.setPixelColor(x, y, kQuadrants[(y >= 24) * 2 + (x >= 32)]);
  return image;
}

bool close_to(const QColor& a, const QColor& b) {
  return qAbs(a.red() - b.red()) <= 3 && qAbs(a.green() - b.green()) <= 3 && qAbs(a.blue() - b.blue()) <= 3;
}

#define EXPECT_COLOR(img, x, y, want)                                                                        \
  QVERIFY2(close_to((img).pixelColor((x), (y)), (want)),                                                     \
           qPrintable(QStringLiteral("pixel (%1, %2) is %3, expected %4")                                    \
                          .arg(x).arg(y).arg((img).pixelColor((x), (y)).name(), (want).name())))

}  // namespace

class ViewportSurfaceTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<ViewportWidget> view_;

  // What the X server shows in the viewport's drawing area (the native window and its parent).
  QImage windowPixels() {
    const QSize size = view_->size();
    return view_->screen()->grabWindow(view_->winId(), 0, 0, size.width(), size.height()).toImage();
  }

  // Waits for a frame presented after `before` and for the X server to have it.
  bool waitForFrame(int before) {
    if (!QTest::qWaitFor([&] { return view_->framesPresented() > before; }, 5000)) return false;
    QTest::qWait(100);
    return true;
  }

 private Q_SLOTS:
  void init() {
    if (QGuiApplication::platformName() != QLatin1String("xcb")) QSKIP("needs an X server (ctest runs it under xvfb-run)");
    qunsetenv("DC_VIEWPORT_RENDERER");
    view_ = std::make_unique<ViewportWidget>();
    view_->resize(400, 300);
    view_->show();
    QVERIFY(QTest::qWaitForWindowExposed(view_.get()));
    view_->setImage(quadrant_image(), QStringLiteral("quadrants"));
    if (!view_->rendererDescription().startsWith(QLatin1String("Vulkan (window surface)"))) {
      QSKIP(qPrintable(QStringLiteral("no window surface here: ") + view_->rendererDescription()));
    }
    QVERIFY2(waitForFrame(0), "no frame was presented");
  }

  void cleanup() { view_.reset(); }

  void fittedImageFillsTheDrawingArea() {
    const QImage px = windowPixels();
    if (!qEnvironmentVariableIsEmpty("DC_UI_SCREENSHOT_DIR"))
      px.save(qEnvironmentVariable("DC_UI_SCREENSHOT_DIR") + QStringLiteral("/viewport_surface.png"));
    // Drawing area 400 x (300 - caption strip); 64x48 fitted by height: the quadrant centres
    // sit a quarter of the image from its centre.
    const int area_h = 300 - (view_->fontMetrics().height() + 10);
    const double z = std::min(400.0 / 64, area_h / 48.0);
    const int cx = 200, cy = area_h / 2, dx = int(16 * z), dy = int(12 * z);
    EXPECT_COLOR(px, cx - dx, cy - dy, kQuadrants[0]);
    EXPECT_COLOR(px, cx + dx, cy - dy, kQuadrants[1]);
    EXPECT_COLOR(px, cx - dx, cy + dy, kQuadrants[2]);
    EXPECT_COLOR(px, cx + dx, cy + dy, kQuadrants[3]);
    if (z * 64 < 396) EXPECT_COLOR(px, 2, cy, kBackground);  // pillar-boxed left and right
  }

  void actualSizeAndWheelZoomReachTheWindow() {
    int frames = view_->framesPresented();
    view_->showActualSize();
    QVERIFY(waitForFrame(frames));
    const int area_h = 300 - (view_->fontMetrics().height() + 10);
    QImage px = windowPixels();
    EXPECT_COLOR(px, 200 - 16, area_h / 2 - 12, kQuadrants[0]);
    EXPECT_COLOR(px, 200 + 16, area_h / 2 + 12, kQuadrants[3]);
    EXPECT_COLOR(px, 200 - 40, area_h / 2, kBackground);  // 1:1 is 64 wide: 40 px left is outside

    // Three wheel notches on the native window, over the image centre: 1.25^3 about the cursor.
    frames = view_->framesPresented();
    QWindow* native = nullptr;  // the presenter's window, embedded in the viewport's container
    for (QWindow* w : QGuiApplication::allWindows())
      if (w->surfaceType() == QSurface::VulkanSurface) native = w;
    QVERIFY(native != nullptr);
    const QPointF cursor(200, area_h / 2.0);
    QWheelEvent wheel(cursor, native->mapToGlobal(cursor), QPoint(), QPoint(0, 360), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QGuiApplication::sendEvent(native, &wheel);
    QVERIFY(qAbs(view_->zoom() - 1.953125) < 1e-9);
    QVERIFY(waitForFrame(frames));
    px = windowPixels();
    EXPECT_COLOR(px, 200 - 40, area_h / 2 - 10, kQuadrants[0]);  // now inside: 125 px wide
    EXPECT_COLOR(px, 200 + 40, area_h / 2 + 10, kQuadrants[3]);
  }

  void hudKeyTogglesTheOverlay() {
    QVERIFY(!view_->hudVisible());
    const QImage before = windowPixels();
    const int frames = view_->framesPresented();
    QTest::keyClick(view_.get(), Qt::Key_H);
    QVERIFY(view_->hudVisible());
    QVERIFY(waitForFrame(frames));
    const QImage with_hud = windowPixels();
    QVERIFY2(with_hud != before, "the HUD drew nothing");
    if (!qEnvironmentVariableIsEmpty("DC_UI_SCREENSHOT_DIR"))
      with_hud.save(qEnvironmentVariable("DC_UI_SCREENSHOT_DIR") + QStringLiteral("/viewport_surface_hud.png"));
    QTest::keyClick(view_.get(), Qt::Key_H);
    QVERIFY(!view_->hudVisible());
  }
};

DC_UI_TEST(ViewportSurfaceTest);

}  // namespace dc::ui

#include "viewport_surface_test.moc"
