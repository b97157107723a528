#include "tests/ui/ui_test_support.h"

#include <QDir>
#include <QImage>
#include <QPixmap>
#include <QSettings>
#include <QtGlobal>

namespace dc::test {

QString tiny_pipelines_folder() { return QStringLiteral(DC_TEST_DATA_DIR "/flux_pipeline"); }
QString tiny_pipeline() { return tiny_pipelines_folder() + QStringLiteral("/tiny-dcgen-flux"); }

void write_settings(const QString& data_dir, const ui::AppSettings& settings) {
  QDir().mkpath(data_dir);
  QSettings store(QDir(data_dir).filePath(QStringLiteral("settings.ini")), QSettings::IniFormat);
  ui::save_settings(store, settings);
}

void save_screenshot(QWidget* widget, const QString& name) {
  const QString folder = qEnvironmentVariable("DC_UI_SCREENSHOTS");
  if (folder.isEmpty()) return;
  QDir().mkpath(folder);
  widget->grab().save(QDir(folder).filePath(name + QStringLiteral(".png")));
}

bool is_non_constant(const QImage& image) {
  if (image.isNull()) return false;
  const QRgb first = image.pixel(0, 0);
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x)
      if (image.pixel(x, y) != first) return true;
  return false;
}

}  // namespace dc::test
