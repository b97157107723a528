#include "tests/ui/ui_test_support.h"

#include <QDir>
#include <QImage>
#include <QMessageBox>
#include <QPixmap>
#include <QSettings>
#include <QTest>
#include <QtGlobal>

namespace dc::test {

QString tiny_pipelines_folder() { return QStringLiteral(DC_TEST_DATA_DIR "/flux_pipeline"); }
QString tiny_pipeline() { return tiny_pipelines_folder() + QStringLiteral("/tiny-dcgen-flux"); }

std::unique_ptr<ui::MainWindow> open_main_window(const QString& dir, const QString& project) {
  ui::MainWindowOptions o{QDir(dir).filePath(QStringLiteral("data")), QDir(dir).filePath(QStringLiteral("out")), {}};
  o.prompts.unsaved_changes = [](const QString&) { return static_cast<int>(QMessageBox::Discard); };
  o.prompts.restore_autosave = [](const QString&) { return false; };
  auto w = std::make_unique<ui::MainWindow>(o);
  w->resize(1400, 900);
  w->show();
  w->activateWindow();
  if (!QTest::qWaitForWindowActive(w.get())) qWarning("window not active");
  if (!project.isEmpty() && !w->openProject(project)) qFatal("the test project %s did not open", qPrintable(project));
  return w;
}

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
