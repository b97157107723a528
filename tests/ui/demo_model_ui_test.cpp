// A fresh install's first picture: no model folders configured, so the picker holds only the
// embedded demo model; typing a prompt and pressing Ctrl+Enter makes a 512² picture with it,
// shown in the viewport and listed in the gallery, its PNG labelled as the demo model's.
#include <QComboBox>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

#include "tests/ui/ui_test_registry.h"
#include "tests/ui/ui_test_support.h"
#include "ui/gallery/gallery_model.h"
#include "ui/main_window/main_window.h"
#include "ui/prompt/prompt_panel.h"
#include "ui/viewport/viewport_widget.h"

namespace dc::ui {

class DemoModelUiTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<QTemporaryDir> dir_;

 private Q_SLOTS:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    AppSettings s;  // no model folders: a fresh install
    s.output_folder = dir_->filePath(QStringLiteral("out"));
    s.device = QStringLiteral("cpu");
    test::write_settings(dir_->filePath(QStringLiteral("data")), s);
  }

  void cleanup() { dir_.reset(); }

  void aFreshInstallDrawsWithTheDemoModel() {
    MainWindow w(MainWindowOptions{dir_->filePath(QStringLiteral("data")), dir_->filePath(QStringLiteral("out"))});
    w.resize(1280, 800);
    w.show();
    w.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    const GenerationParams before = w.promptPanel()->params();
    QVERIFY2(QFileInfo(before.model_folder + QStringLiteral("/dcstudio.json")).isFile(), qPrintable(before.model_folder));

    auto* prompt = w.findChild<QPlainTextEdit*>(QStringLiteral("prompt"));
    QVERIFY(prompt);
    QTest::keyClicks(prompt, QStringLiteral("a large red circle in the center on a blue background"));
    w.findChild<QSpinBox*>(QStringLiteral("steps"))->setValue(4);
    w.findChild<QSpinBox*>(QStringLiteral("width"))->setValue(512);
    w.findChild<QSpinBox*>(QStringLiteral("height"))->setValue(512);
    prompt->setFocus();
    QTest::keyClick(prompt, Qt::Key_Return, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(w.galleryModel()->rowCount(), 1, 180000);

    const QImage shown = w.viewport()->image();
    QCOMPARE(shown.size(), QSize(512, 512));
    QVERIFY(test::is_non_constant(shown));
    const QImage file(w.galleryModel()->item(0)->file);
    QCOMPARE(file.size(), QSize(512, 512));
    const QJsonObject meta = QJsonDocument::fromJson(file.text(QStringLiteral("dcstudio")).toUtf8()).object();
    QVERIFY(meta.value(QStringLiteral("demo_model")).toBool());
    QVERIFY2(file.text(QStringLiteral("parameters")).contains(QLatin1String("Model: DC Studio demo model")),
             qPrintable(file.text(QStringLiteral("parameters"))));
    test::save_screenshot(&w, QStringLiteral("main_window_demo_model"));
  }
};

DC_UI_TEST(DemoModelUiTest);

}  // namespace dc::ui

#include "demo_model_ui_test.moc"
