// The viewport draws the same picture through the gpu/vulkan presenter (offscreen
// render + readback; lavapipe on CI) and through QPainter: placement at 1:1 and
// fit, background, zoom about the cursor, and the fallback description.
#include <QApplication>
#include <QTest>
#include <QWheelEvent>

#include "tests/ui/ui_test_registry.h"
#include "ui/viewport/viewport_widget.h"

namespace dc::ui {
namespace {

const QColor kBackground(0x1e, 0x1e, 0x22);
const QColor kQuadrants[4] = {QColor(250, 20, 20), QColor(20, 240, 30), QColor(30, 40, 230), QColor(200, 200, 60)};

// 64 x 48, four flat quadrants: top-left, top-right, bottom-left, bottom-right.
QImage quadrant_image() {
  QImage image(64, 48, QImage::Format_RGB888);
  for (int y = 0; y < 48; ++y)
    for (int x = 0; x < 64; ++x) image.setPixelColor(x, y, kQuadrants[(y >= 24) * 2 + (x >= 32)]);
  return image;
}

}  // namespace

class ViewportTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<ViewportWidget> makeViewport() {
    QFETCH(QString, renderer);
    qputenv("DC_VIEWPORT_RENDERER", renderer.toUtf8());  // read at the first paint with an image
    auto v = std::make_unique<ViewportWidget>();
    v->resize(400, 300);
    v->show();
    if (!QTest::qWaitForWindowExposed(v.get())) qWarning("viewport not exposed");
    v->setImage(quadrant_image(), QString());
    v->grab();  // decides the renderer
    qInfo("renderer: %s", qPrintable(v->rendererDescription()));
    return v;
  }

  static void addRenderers() {
    QTest::addColumn<QString>("renderer");
    QTest::newRow("gpu") << QStringLiteral("auto");
    QTest::newRow("painter") << QStringLiteral("painter");
  }

  static void skipWithoutPresenter(const ViewportWidget& v) {
    QFETCH(QString, renderer);
    if (renderer != QLatin1String("painter") && !v.rendererDescription().startsWith(QLatin1String("Vulkan")))
      QSKIP(qPrintable(QStringLiteral("no Vulkan presenter: ") + v.rendererDescription()));
  }

 private Q_SLOTS:
  void cleanup() { qunsetenv("DC_VIEWPORT_RENDERER"); }

  void oneToOnePlacesEveryPixel_data() { addRenderers(); }
  void oneToOnePlacesEveryPixel() {
    auto v = makeViewport();
    skipWithoutPresenter(*v);
    v->showActualSize();
    const QImage frame = v->grab().toImage();
    // Centred: the image's top-left lands at ((400 - 64) / 2, (300 - 48) / 2) = (168, 126).
    for (int q = 0; q < 4; ++q) {
      const QPoint inside(168 + (q % 2) * 32 + 16, 126 + (q / 2) * 24 + 12);
      QCOMPARE(frame.pixelColor(inside), kQuadrants[q]);
    }
    QCOMPARE(frame.pixelColor(168, 126), kQuadrants[0]);  // the corner pixels themselves
    QCOMPARE(frame.pixelColor(168 + 63, 126 + 47), kQuadrants[3]);
    QCOMPARE(frame.pixelColor(167, 126), kBackground);     // and just outside
    QCOMPARE(frame.pixelColor(168 + 64, 126 + 47), kBackground);
    QCOMPARE(frame.pixelColor(5, 5), kBackground);
  }

  void fitFillsTheWidth_data() { addRenderers(); }
  void fitFillsTheWidth() {
    auto v = makeViewport();
    skipWithoutPresenter(*v);
    QVERIFY(v->isFit());
    QCOMPARE(v->zoom(), 400.0 / 64);  // 6.25: limited by the width (300 / 48 = 6.25 too)
    const QImage frame = v->grab().toImage();
    QCOMPARE(frame.pixelColor(20, 20), kQuadrants[0]);
    QCOMPARE(frame.pixelColor(380, 20), kQuadrants[1]);
    QCOMPARE(frame.pixelColor(20, 280), kQuadrants[2]);
    QCOMPARE(frame.pixelColor(380, 280), kQuadrants[3]);
  }

  void wheelZoomKeepsThePointUnderTheCursor_data() { addRenderers(); }
  void wheelZoomKeepsThePointUnderTheCursor() {
    auto v = makeViewport();
    skipWithoutPresenter(*v);
    v->showActualSize();
    // The boundary between the top quadrants (x = 200) and the horizontal one (y = 150)
    // meet at the cursor; zooming there keeps all four quadrants around it.
    const QPointF cursor(200, 150);
    QWheelEvent wheel(cursor, v->mapToGlobal(cursor), QPoint(), QPoint(0, 120 * 3), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(v.get(), &wheel);
    QVERIFY(!v->isFit());
    QVERIFY(qAbs(v->zoom() - 1.953125) < 1e-9);  // 1.25^3
    const QImage frame = v->grab().toImage();
    QCOMPARE(frame.pixelColor(190, 140), kQuadrants[0]);
    QCOMPARE(frame.pixelColor(210, 140), kQuadrants[1]);
    QCOMPARE(frame.pixelColor(190, 160), kQuadrants[2]);
    QCOMPARE(frame.pixelColor(210, 160), kQuadrants[3]);
  }

  void painterIsUsedWhenAskedFor() {
    qputenv("DC_VIEWPORT_RENDERER", "painter");
    ViewportWidget v;
    v.resize(100, 100);
    v.setImage(quadrant_image(), QString());
    v.grab();
    QCOMPARE(v.rendererDescription(), QStringLiteral("QPainter (DC_VIEWPORT_RENDERER=painter)"));
  }
};

DC_UI_TEST(ViewportTest);

}  // namespace dc::ui

#include "viewport_test.moc"
