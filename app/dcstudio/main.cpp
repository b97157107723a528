// dcstudio: the DC Studio desktop app. Qt setup and the main window; everything
// else lives in ui/ (widgets) and core/ (the engine).
#include <QDir>
#include <QStandardPaths>

#include "ui/common/guarded_application.h"
#include "ui/main_window/main_window.h"

int main(int argc, char** argv) {
  dc::ui::GuardedApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("DC Studio"));
  QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

  const QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
  dc::ui::MainWindow window({
      .data_dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
      .default_output_folder = QDir(pictures.isEmpty() ? QDir::homePath() : pictures).filePath(QStringLiteral("DC Studio")),
  });
  app.setErrorHandler([&window](const QString& text) { window.showError(text); });
  window.show();
  return dc::ui::GuardedApplication::exec();
}
