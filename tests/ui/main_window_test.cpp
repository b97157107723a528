// The whole app on the offscreen platform with the tiny DC-Gen-FLUX pipeline on
// the CPU (2 steps at 64x64 take about a second): typing a prompt and pressing
// Ctrl+Enter makes an image that shows in the viewport and the gallery and is
// the one `dcgen generate` makes; the queue survives a restart; a failing job
// shows its error and the app keeps working; cancel, undo/redo, reopen.
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>
#include <memory>
#include <stdexcept>

#include "tests/ui/ui_test_registry.h"
#include "tests/ui/ui_test_support.h"
#include "ui/common/guarded_application.h"
#include "ui/common/notice_bar.h"
#include "ui/gallery/gallery_model.h"
#include "ui/gallery/gallery_view.h"
#include "ui/main_window/main_window.h"
#include "ui/prompt/prompt_panel.h"
#include "ui/queue/queue_runner.h"
#include "ui/queue/queue_view.h"
#include "ui/queue/render_queue_model.h"
#include "ui/settings/settings_dialog.h"
#include "ui/viewport/viewport_widget.h"

namespace dc::ui {

class MainWindowTest : public QObject {
  Q_OBJECT

 private:
  static constexpr int kJobTimeoutMs = 120000;  // a loaded CI machine; the job itself takes ~1 s

  std::unique_ptr<QTemporaryDir> dir_;

  QString dataDir() const { return dir_->filePath(QStringLiteral("data")); }
  QString outputDir() const { return dir_->filePath(QStringLiteral("out")); }

  std::unique_ptr<MainWindow> makeWindow() {
    auto w = std::make_unique<MainWindow>(MainWindowOptions{dataDir(), outputDir()});
    w->resize(1280, 800);
    w->show();
    w->activateWindow();  // window shortcuts (Ctrl+Enter, Esc, Ctrl+Z) need the active window
    if (!QTest::qWaitForWindowActive(w.get())) qWarning("window not active");
    return w;
  }

  template <class T>
  static T* child(QWidget* w, const char* name) {
    T* c = w->findChild<T*>(QLatin1String(name));
    if (!c) qFatal("no child %s", name);
    return c;
  }

  // Types the prompt and sets the tiny job's size, steps and a locked seed.
  static void fillTinyJob(MainWindow* w, const QString& prompt, quint64 seed, int steps = 2) {
    auto* text = child<QPlainTextEdit>(w, "prompt");
    text->clear();
    QTest::keyClicks(text, prompt);
    child<QSpinBox>(w, "steps")->setValue(steps);
    child<QSpinBox>(w, "width")->setValue(64);
    child<QSpinBox>(w, "height")->setValue(64);
    auto* seed_edit = child<QLineEdit>(w, "seed");
    seed_edit->clear();
    QTest::keyClicks(seed_edit, QString::number(seed));  // typing locks it
  }

  static QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
  }

 private Q_SLOTS:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    AppSettings s;
    s.model_folders = {test::tiny_pipelines_folder()};
    s.output_folder = outputDir();
    s.device = QStringLiteral("cpu");
    test::write_settings(dataDir(), s);
  }

  void cleanup() { dir_.reset(); }

  void startsEmptyWithTheTinyModelListed() {
    auto w = makeWindow();
    QCOMPARE(w->promptPanel()->params().model_folder, QFileInfo(test::tiny_pipeline()).absoluteFilePath());
    QCOMPARE(w->queueModel()->rowCount(), 0);
    QCOMPARE(w->galleryModel()->rowCount(), 0);
    QVERIFY(w->viewport()->image().isNull());
    test::save_screenshot(w.get(), QStringLiteral("main_window_empty"));
  }

  void typingAPromptAndCtrlEnterMakesAnImage() {
    auto w = makeWindow();
    QSignalSpy previews(w->queueRunner(), &QueueRunner::entryPreview);
    QSignalSpy progress(w->queueRunner(), &QueueRunner::entryProgress);
    fillTinyJob(w.get(), QStringLiteral("a red fox in the snow"), 7);
    auto* prompt = child<QPlainTextEdit>(w.get(), "prompt");
    prompt->setFocus();
    QTest::keyClick(prompt, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(prompt->toPlainText(), QStringLiteral("a red fox in the snow"));  // the shortcut, not a newline
    QCOMPARE(w->queueModel()->rowCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(w->galleryModel()->rowCount(), 1, kJobTimeoutMs);

    const QueueEntry& entry = w->queueModel()->entries().front();
    QCOMPARE(entry.state, QueueState::kDone);
    QCOMPARE(previews.count(), 2);  // one latent preview per step, shown while sampling
    QVERIFY(progress.count() >= 4);
    const GalleryItem* item = w->galleryModel()->item(0);
    QCOMPARE(item->params.seed, 7u);
    QCOMPARE(item->params.prompt, QStringLiteral("a red fox in the snow"));
    QCOMPARE(entry.outputs, QStringList{item->file});
    QVERIFY(QFileInfo(item->file).absolutePath() == QFileInfo(outputDir()).absoluteFilePath());

    // The viewport shows the decoded image, which is the file written.
    const QImage shown = w->viewport()->image();
    QCOMPARE(shown.size(), QSize(64, 64));
    QVERIFY(test::is_non_constant(shown));
    const QImage file_read(item->file);  // QImage keeps the PNG's text chunks
    const QString parameters = file_read.text(QStringLiteral("parameters"));
    const QImage file_image = file_read.convertToFormat(QImage::Format_RGB888);
    QCOMPARE(file_image, shown.convertToFormat(QImage::Format_RGB888));
    QVERIFY2(parameters.startsWith(QLatin1String("a red fox in the snow\nSteps: 2,")), qPrintable(parameters));
    QVERIFY2(parameters.contains(QLatin1String("Seed: 7, Size: 64x64, Model: tiny-dcgen-flux")), qPrintable(parameters));
    QVERIFY(!item->thumbnail.isNull());
    test::save_screenshot(w.get(), QStringLiteral("main_window_generated"));

    // The same parameters on the command line make the same pixels and the same parameters text.
    const QString cli_out = dir_->filePath(QStringLiteral("cli.png"));
    QProcess dcgen;
    dcgen.start(QStringLiteral(DCGEN_PATH),
                {QStringLiteral("generate"), QStringLiteral("--model"), test::tiny_pipeline(), QStringLiteral("--prompt"),
                 QStringLiteral("a red fox in the snow"), QStringLiteral("--seed"), QStringLiteral("7"),
                 QStringLiteral("--steps"), QStringLiteral("2"), QStringLiteral("--width"), QStringLiteral("64"),
                 QStringLiteral("--height"), QStringLiteral("64"), QStringLiteral("--device"), QStringLiteral("cpu"),
                 QStringLiteral("--out"), cli_out});
    QVERIFY(dcgen.waitForFinished(kJobTimeoutMs));
    QVERIFY2(dcgen.exitCode() == 0, dcgen.readAllStandardError().constData());
    const QImage cli_image(cli_out);
    QCOMPARE(cli_image.convertToFormat(QImage::Format_RGB888), file_image);
    QCOMPARE(parameters, cli_image.text(QStringLiteral("parameters")));
    const QJsonObject ours = QJsonDocument::fromJson(file_read.text(QStringLiteral("dcstudio")).toUtf8()).object();
    const QJsonObject theirs = QJsonDocument::fromJson(cli_image.text(QStringLiteral("dcstudio")).toUtf8()).object();
    QVERIFY(!ours.isEmpty());
    QCOMPARE(ours, theirs);
  }

  void aQueuedJobSurvivesARestart() {
    {
      auto w = makeWindow();
      fillTinyJob(w.get(), QStringLiteral("first"), 1, /*steps=*/1000);  // still running when we close
      w->generate();
      fillTinyJob(w.get(), QStringLiteral("second"), 2);
      w->generate();
      QCOMPARE(w->queueModel()->rowCount(), 2);
      QCOMPARE(w->queueModel()->entries()[1].state, QueueState::kQueued);
      w->close();
    }  // the window and its engine are gone; the running job was cancelled, unfinished

    const QJsonArray saved = readJson(QDir(dataDir()).filePath(QStringLiteral("queue.json")))
                                 .value(QStringLiteral("entries")).toArray();
    QCOMPARE(saved.size(), 2);
    QCOMPARE(saved[1].toObject().value(QStringLiteral("state")).toString(), QStringLiteral("queued"));
    QCOMPARE(QDir(outputDir()).entryList(QDir::Files).size(), 0);

    auto w = makeWindow();  // the same data folder: a restart
    QCOMPARE(w->promptPanel()->params().prompt, QStringLiteral("second"));  // the panel as it was left
    QVERIFY(w->promptPanel()->isSeedLocked());
    QCOMPARE(w->queueModel()->rowCount(), 2);
    QCOMPARE(w->queueModel()->entries()[1].params.prompt, QStringLiteral("second"));
    QCOMPARE(w->queueModel()->entries()[1].params.seed, 2u);
    // Let the long first job go and keep the second: both came back queued and run in order.
    w->queueRunner()->cancel(w->queueModel()->entries()[0].id);
    test::save_screenshot(w.get(), QStringLiteral("main_window_restarted_queue"));
    QTRY_COMPARE_WITH_TIMEOUT(w->queueModel()->entries()[1].state, QueueState::kDone, kJobTimeoutMs);
    QCOMPARE(w->queueModel()->entries()[0].state, QueueState::kCancelled);
    QCOMPARE(w->galleryModel()->rowCount(), 1);
    QCOMPARE(w->galleryModel()->item(0)->params.prompt, QStringLiteral("second"));
  }

  void aFailingJobShowsItsErrorAndTheAppKeepsWorking() {
    auto w = makeWindow();
    GenerationParams bad = w->promptPanel()->params();
    bad.model_folder = dir_->filePath(QStringLiteral("no-such-model"));
    bad.prompt = QStringLiteral("this cannot work");
    w->promptPanel()->setParams(bad);
    w->generate();
    QTRY_COMPARE_WITH_TIMEOUT(w->queueModel()->entries().front().state, QueueState::kFailed, kJobTimeoutMs);
    const QString error = w->noticeBar()->text();
    QVERIFY2(error.contains(QLatin1String("no-such-model")), qPrintable(error));
    QVERIFY(w->queueModel()->entries().front().error.contains(QLatin1String("no-such-model")));
    QCOMPARE(w->galleryModel()->rowCount(), 0);
    test::save_screenshot(w.get(), QStringLiteral("main_window_error"));

    // Retry fails the same way; a good job afterwards works.
    w->queueView()->list()->setCurrentIndex(w->queueModel()->index(0));
    child<QToolButton>(w.get(), "queueRetry")->click();
    QTRY_COMPARE_WITH_TIMEOUT(w->queueModel()->entries().front().state, QueueState::kFailed, kJobTimeoutMs);
    GenerationParams good = bad;
    good.model_folder = QFileInfo(test::tiny_pipeline()).absoluteFilePath();
    w->promptPanel()->setParams(good);
    fillTinyJob(w.get(), QStringLiteral("after the failure"), 3);
    w->generate();
    QTRY_COMPARE_WITH_TIMEOUT(w->galleryModel()->rowCount(), 1, kJobTimeoutMs);
    QCOMPARE(w->queueModel()->entries()[1].state, QueueState::kDone);
  }

  void noModelIsExplainedNotQueued() {
    // No model folders and the embedded demo model turned off: nothing to generate with.
    AppSettings s = AppSettings{};
    s.output_folder = outputDir();
    test::write_settings(dataDir(), s);
    qputenv("DC_DEMO_MODEL", "off");
    auto w = makeWindow();
    qunsetenv("DC_DEMO_MODEL");
    w->generate();
    QCOMPARE(w->queueModel()->rowCount(), 0);
    QVERIFY(w->noticeBar()->text().contains(QLatin1String("Settings")));
  }

  void escapeCancelsTheRunningJob() {
    auto w = makeWindow();
    fillTinyJob(w.get(), QStringLiteral("a long job"), 5, /*steps=*/1000);
    QSignalSpy previews(w->queueRunner(), &QueueRunner::entryPreview);
    w->generate();
    QTRY_VERIFY_WITH_TIMEOUT(previews.count() >= 1, kJobTimeoutMs);
    QTRY_VERIFY(w->viewport()->caption().startsWith(QLatin1String("Preview, step")));
    QCOMPARE(w->viewport()->image().size(), QSize(16, 16));     // the latent preview (4x smaller VAE)...
    QCOMPARE(w->viewport()->displaySize(), QSize(64, 64));      // ...shown at the size being made
    test::save_screenshot(w.get(), QStringLiteral("main_window_generating"));
    QTest::keyClick(w->viewport(), Qt::Key_Escape);
    QTRY_COMPARE_WITH_TIMEOUT(w->queueModel()->entries().front().state, QueueState::kCancelled, kJobTimeoutMs);
    QCOMPARE(w->galleryModel()->rowCount(), 0);
    QCOMPARE(QDir(outputDir()).entryList(QDir::Files).size(), 0);
  }

  void undoAndRedoFromTheKeyboard() {
    auto w = makeWindow();
    const int steps = w->promptPanel()->params().steps;
    child<QSpinBox>(w.get(), "steps")->setValue(steps + 5);
    QTRY_COMPARE(w->undoStack()->count(), 1);
    w->viewport()->setFocus();
    QTest::keyClick(w->viewport(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(w->promptPanel()->params().steps, steps);
    QTest::keyClick(w->viewport(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(w->promptPanel()->params().steps, steps + 5);

    // Queue edits are undoable too: reorder two waiting jobs (the first runs long).
    fillTinyJob(w.get(), QStringLiteral("one"), 1, 1000);
    w->generate();
    fillTinyJob(w.get(), QStringLiteral("two"), 2, 1000);
    w->generate();
    fillTinyJob(w.get(), QStringLiteral("three"), 3, 1000);
    w->generate();
    Q_EMIT w->queueView()->moveRequested(2, 1);
    QCOMPARE(w->queueModel()->entries()[1].params.prompt, QStringLiteral("three"));
    QTest::keyClick(w->viewport(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(w->queueModel()->entries()[1].params.prompt, QStringLiteral("two"));
    w->cancel();
    for (const QueueEntry& e : w->queueModel()->entries()) w->queueRunner()->cancel(e.id);
    QTRY_VERIFY_WITH_TIMEOUT(!w->queueRunner()->isRunning(), kJobTimeoutMs);
  }

  void settingsApplyAndSurviveARestart() {
    // A second model folder holding one (fake) pipeline.
    const QString models = dir_->filePath(QStringLiteral("models"));
    QVERIFY(QDir().mkpath(models + QStringLiteral("/another")));
    QFile index(models + QStringLiteral("/another/model_index.json"));
    QVERIFY(index.open(QIODevice::WriteOnly));
    index.close();
    AppSettings changed;
    {
      auto w = makeWindow();
      changed = w->settings();
      changed.model_folders << models;
      changed.vram_budget = quint64(6) << 30;
      changed.output_folder = dir_->filePath(QStringLiteral("elsewhere"));
      SettingsDialog dialog(changed);  // the dialog shows and returns what it was given
      QCOMPARE(dialog.settings(), changed);
      w->applySettings(dialog.settings());
      auto* model = child<QComboBox>(w.get(), "model");
      QCOMPARE(model->count(), 3);  // tiny-dcgen-flux, another, then the embedded demo model
      QCOMPARE(model->itemText(1), QStringLiteral("another"));
    }
    auto w = makeWindow();
    QCOMPARE(w->settings(), changed);
    QCOMPARE(child<QComboBox>(w.get(), "model")->count(), 3);
  }

  void anExceptionInAnEventHandlerIsShownNotFatal() {
    auto w = makeWindow();
    auto* app = qobject_cast<GuardedApplication*>(QCoreApplication::instance());
    QVERIFY(app);
    app->setErrorHandler([&w](const QString& text) { w->showError(text); });
    QMetaObject::invokeMethod(
        w.get(), [] { throw std::runtime_error("a slot that throws"); }, Qt::QueuedConnection);
    QTRY_VERIFY(w->noticeBar()->text().contains(QLatin1String("a slot that throws")));
    app->setErrorHandler({});
    // Still working: a job runs to the end.
    fillTinyJob(w.get(), QStringLiteral("still here"), 1);
    w->generate();
    QTRY_COMPARE_WITH_TIMEOUT(w->galleryModel()->rowCount(), 1, kJobTimeoutMs);
  }

  void galleryReopensParametersAndCopiesTheSeed() {
    auto w = makeWindow();
    fillTinyJob(w.get(), QStringLiteral("a blue bird"), 4242);
    w->generate();
    QTRY_COMPARE_WITH_TIMEOUT(w->galleryModel()->rowCount(), 1, kJobTimeoutMs);
    const GenerationParams made = w->galleryModel()->item(0)->params;

    fillTinyJob(w.get(), QStringLiteral("something else"), 1);
    w->galleryView()->reopenParameters(0);
    QCOMPARE(w->promptPanel()->params(), made);
    QCOMPARE(w->undoStack()->undoText(), QStringLiteral("Reopen parameters"));
    w->galleryView()->copySeed(0);
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("4242"));
    QObject::disconnect(w->galleryView(), &GalleryView::revealRequested, w.get(), nullptr);  // no file manager here
    QSignalSpy reveal(w->galleryView(), &GalleryView::revealRequested);
    w->galleryView()->revealFile(0);
    QCOMPARE(reveal.count(), 1);
    QCOMPARE(reveal.front().front().toString(), w->galleryModel()->item(0)->file);
  }
};

DC_UI_TEST(MainWindowTest);

}  // namespace dc::ui

#include "main_window_test.moc"
