// The timeline in the main window: selecting a shot (timeline or Project list)
// loads it into the prompt panel; the panel's edits go back to the shot, or to
// the selected keyframe's prompt, each undoable; "Load shot" from free values
// undoes back to them; the Timeline dock's screenshot for the docs.
#include <QDir>
#include <QListView>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTextCursor>
#include <QToolButton>
#include <QUndoStack>
#include <memory>

#include "core/project/project_file.h"
#include "tests/ui/timeline_test_support.h"
#include "tests/ui/ui_test_registry.h"
#include "tests/ui/ui_test_support.h"
#include "ui/main_window/main_window.h"
#include "ui/main_window/prompt_shot_link.h"
#include "ui/project/project_document.h"
#include "ui/project/shots_view.h"
#include "ui/prompt/prompt_panel.h"
#include "ui/timeline/timeline_model.h"
#include "ui/timeline/timeline_panel.h"
#include "ui/timeline/timeline_view.h"

namespace dc::ui {

class TimelineWindowTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<QTemporaryDir> dir_;

  QString path(const QString& name) const { return dir_->filePath(name); }

  std::unique_ptr<MainWindow> makeWindow() {
    return test::open_main_window(dir_->path(), path(QStringLiteral("harbour.dcproj")));
  }

  static const project::Shot& shot(MainWindow* w, const char* id) {
    const project::Shot* s = w->projectDocument()->project().find_shot(id);
    if (!s) qFatal("no shot %s", id);
    return *s;
  }
  static int row(MainWindow* w, const char* id) {
    return static_cast<int>(w->projectDocument()->project().find_shot(id) - w->projectDocument()->project().shots.data());
  }
  static QPlainTextEdit* promptEdit(MainWindow* w) { return w->findChild<QPlainTextEdit*>(QStringLiteral("prompt")); }
  static void typeAtEnd(MainWindow* w, const QString& text) {
    QPlainTextEdit* edit = promptEdit(w);
    edit->setFocus();
    edit->moveCursor(QTextCursor::End);
    QTest::keyClicks(edit, text);
    w->promptPanel()->commitPendingEdits();  // as the typing pause would
  }
  static void clickClip(MainWindow* w, const char* id) {
    TimelineView* view = w->timelinePanel()->view();
    QTest::mouseClick(view, Qt::LeftButton, {}, view->clipRect(row(w, id)).center().toPoint());
  }

 private Q_SLOTS:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    AppSettings s;
    s.model_folders = {test::tiny_pipelines_folder()};
    s.output_folder = path(QStringLiteral("out"));
    s.device = QStringLiteral("cpu");
    test::write_settings(path(QStringLiteral("data")), s);
    QVERIFY(project::save_project_atomic(test::timeline_project(test::tiny_pipeline()),
                                         path(QStringLiteral("harbour.dcproj")).toStdString()).ok());
  }
  void cleanup() { dir_.reset(); }

  void selectingAShotLoadsItAndPanelEditsGoBack() {
    auto w = makeWindow();
    auto* banner = w->findChild<QWidget*>(QStringLiteral("shotLinkBanner"));
    QVERIFY(!banner->isVisible());
    clickClip(w.get(), "gulls");
    GenerationParams shown = w->promptPanel()->params();
    QCOMPARE(shown.prompt, QStringLiteral("gulls over the breakwater"));
    QCOMPARE(shown.seed, 13u);
    QCOMPARE(shown.guidance, 5.0);
    QCOMPARE(shown.steps, 2);
    QCOMPARE(shown.width, 64);
    QVERIFY(w->promptPanel()->isSeedLocked());
    QVERIFY(banner->isVisible());
    QCOMPARE(w->promptShotLink()->description(), QStringLiteral("Editing shot gulls"));
    QCOMPARE(w->undoStack()->undoText(), QStringLiteral("Load shot gulls"));  // the panel had other values
    QCOMPARE(w->shotsView()->currentRow(), row(w.get(), "gulls"));

    typeAtEnd(w.get(), QStringLiteral(" at noon"));
    QCOMPARE(shot(w.get(), "gulls").prompt, std::string("gulls over the breakwater at noon"));
    QCOMPARE(w->undoStack()->undoText(), QStringLiteral("Edit prompt of gulls"));
    QVERIFY(w->projectDocument()->isDirty());
    w->findChild<QSpinBox*>(QStringLiteral("steps"))->setValue(4);
    w->promptPanel()->commitPendingEdits();
    QCOMPARE(shot(w.get(), "gulls").steps, 4);
    QCOMPARE(shot(w.get(), "gulls").prompt, std::string("gulls over the breakwater at noon"));

    w->undoStack()->undo();
    QCOMPARE(shot(w.get(), "gulls").steps, 2);
    QCOMPARE(w->promptPanel()->params().steps, 2);  // the panel shows the shot as it is now
    w->undoStack()->undo();
    QCOMPARE(shot(w.get(), "gulls").prompt, std::string("gulls over the breakwater"));
    QCOMPARE(w->promptPanel()->params().prompt, QStringLiteral("gulls over the breakwater"));
    QVERIFY(w->promptShotLink()->isLinked());  // undoing the shot's edits keeps it selected
    w->undoStack()->redo();
    w->undoStack()->redo();
    QCOMPARE(shot(w.get(), "gulls").steps, 4);
    QCOMPARE(w->promptPanel()->params().prompt, QStringLiteral("gulls over the breakwater at noon"));

    // A keyframe: the prompt field edits its prompt; the rest is still the shot's.
    TimelineView* view = w->timelinePanel()->view();
    QTest::mouseClick(view, Qt::LeftButton, {}, view->keyframePoint(row(w.get(), "harbour"), 0).toPoint());
    QCOMPARE(w->promptPanel()->params().prompt, QStringLiteral("boats leave the harbour"));
    QCOMPARE(w->promptPanel()->params().seed, 12u);
    QCOMPARE(w->promptShotLink()->description(), QStringLiteral("Editing shot harbour, keyframe at frame 16"));
    typeAtEnd(w.get(), QStringLiteral(" at dusk"));
    QCOMPARE(shot(w.get(), "harbour").keyframes[0].prompt, std::string("boats leave the harbour at dusk"));
    QCOMPARE(shot(w.get(), "harbour").prompt, std::string("slow pan over the harbour"));
    QCOMPARE(w->undoStack()->undoText(), QStringLiteral("Edit prompt of harbour, keyframe at frame 16"));
    QTest::mouseClick(view, Qt::LeftButton, {}, view->clipRect(row(w.get(), "harbour")).topLeft().toPoint() + QPoint(10, 10));
    QCOMPARE(w->promptPanel()->params().prompt, QStringLiteral("slow pan over the harbour"));  // the shot itself
    w->undoStack()->undo();
    QCOMPARE(shot(w.get(), "harbour").keyframes[0].prompt, std::string("boats leave the harbour"));

    // "Done": the panel is free again and its edits stay out of the project.
    QTest::mouseClick(w->findChild<QToolButton*>(QStringLiteral("shotLinkRelease")), Qt::LeftButton);
    QVERIFY(!w->promptShotLink()->isLinked());
    QVERIFY(!banner->isVisible());
    QCOMPARE(w->timelineModel()->currentShot(), -1);
    typeAtEnd(w.get(), QStringLiteral(", free"));
    QCOMPARE(shot(w.get(), "harbour").prompt, std::string("slow pan over the harbour"));
    QCOMPARE(w->undoStack()->undoText(), QStringLiteral("Edit prompt"));
  }

  void undoingLoadShotBringsTheFreeValuesBack() {
    auto w = makeWindow();
    GenerationParams free = w->promptPanel()->params();
    free.prompt = QStringLiteral("my own idea");
    free.seed = 99;
    w->promptPanel()->setParams(free);
    w->loadShot(row(w.get(), "opening"));  // the Project panel's Load
    QCOMPARE(w->promptPanel()->params().prompt, QStringLiteral("a lighthouse at dawn, oil painting"));
    QCOMPARE(w->timelineModel()->currentShot(), row(w.get(), "opening"));
    QCOMPARE(w->undoStack()->undoText(), QStringLiteral("Load shot opening"));
    w->undoStack()->undo();
    QCOMPARE(w->promptPanel()->params().prompt, QStringLiteral("my own idea"));
    QCOMPARE(w->promptPanel()->params().seed, 99u);
    QVERIFY(!w->promptShotLink()->isLinked());
    QCOMPARE(w->timelineModel()->currentShot(), -1);
    w->undoStack()->redo();
    QVERIFY(w->promptShotLink()->isLinked());
    QCOMPARE(w->timelineModel()->currentShot(), row(w.get(), "opening"));
    QCOMPARE(w->promptPanel()->params().prompt, QStringLiteral("a lighthouse at dawn, oil painting"));
    QCOMPARE(w->undoStack()->count(), 1);  // redo made no new step

    // Switching between shots is not an edit; the project is untouched by looking.
    clickClip(w.get(), "night");
    clickClip(w.get(), "gulls");
    QCOMPARE(w->undoStack()->count(), 1);
    QVERIFY(!w->projectDocument()->isDirty());
  }

  void theProjectListAndTheTimelineShareTheSelection() {
    auto w = makeWindow();
    QListView* list = w->shotsView()->list();
    list->setCurrentIndex(list->model()->index(2, 0));
    QCOMPARE(w->timelineModel()->currentShot(), 2);
    QCOMPARE(w->promptPanel()->params().prompt, QString::fromStdString(shot(w.get(), "gulls").prompt));
    w->timelineModel()->selectKeyframe(1, 0);
    QCOMPARE(w->shotsView()->currentRow(), 1);
    QCOMPARE(w->promptPanel()->params().prompt, QStringLiteral("boats leave the harbour"));
    // A move that reorders: both follow the shot.
    QVERIFY(w->timelineModel()->moveShot(row(w.get(), "gulls"), 0.0, 0).ok());
    QCOMPARE(list->model()->data(list->model()->index(0, 0)).toString().left(5), QStringLiteral("gulls"));
    QCOMPARE(w->timelineModel()->currentShot(), row(w.get(), "harbour"));
    QCOMPARE(w->timelineModel()->currentKeyframe(), 0);
  }

  // With DC_UI_SCREENSHOTS set: the project's image shots are rendered by the
  // embedded demo model (colored shapes, what it was trained on) with `dcgen
  // render`, so the clips show real thumbnails, then the window is captured.
  void screenshotOfTheTimeline() {
    if (!qEnvironmentVariableIsEmpty("DC_UI_SCREENSHOTS")) {
      project::Project p = test::timeline_project(QStringLiteral(DC_SOURCE_DIR "/resources/demo_model/dc-gen-flux-demo"));
      const char* prompts[] = {"a large white star on the right on a green background",
                               "a purple star at the bottom on a black background",
                               "a gray triangle on the right and a red star in the top left corner, on an orange background",
                               "a small yellow circle at the top on a blue background"};
      for (size_t i = 0; i < p.shots.size(); ++i) {
        project::Shot& s = p.shots[i];
        s.prompt = prompts[i];
        s.width = s.height = 512;
        s.steps = 20;
        s.guidance = 3.5;
        s.schedule = "flux2";
      }
      p.shots[1].keyframes = {{16, "a purple star in the center on a black background"},
                              {36, "a large purple star on the right on a black background"}};
      QVERIFY(project::save_project_atomic(p, path(QStringLiteral("harbour.dcproj")).toStdString()).ok());
      QProcess dcgen;
      dcgen.start(QStringLiteral(DCGEN_PATH), {QStringLiteral("render"), path(QStringLiteral("harbour.dcproj")),
                                               QStringLiteral("--shots"), QStringLiteral("opening,gulls"),
                                               QStringLiteral("--device"), QStringLiteral("cpu")});
      QVERIFY(dcgen.waitForFinished(300000));
      QVERIFY2(dcgen.exitCode() == 0, dcgen.readAllStandardError().constData());
    }
    auto w = makeWindow();
    TimelineModel* model = w->timelineModel();
    model->setPlayhead(6.5);
    w->timelinePanel()->view()->zoomToFit();
    model->selectKeyframe(row(w.get(), "harbour"), 0);
    QVERIFY(w->promptShotLink()->isLinked());
    // Everything the timeline shows fits: every lane, and the last shot's end.
    TimelineView* view = w->timelinePanel()->view();
    QVERIFY(view->geometry().laneTop(model->trackCount() + 1) <= view->height());
    QVERIFY(view->geometry().xOf(model->endTime()) <= view->width());
    QTest::qWait(50);
    test::save_screenshot(w.get(), QStringLiteral("main_window_timeline"));
    test::save_screenshot(w->timelinePanel(), QStringLiteral("timeline"));
  }
};

DC_UI_TEST(TimelineWindowTest);

}  // namespace dc::ui

#include "timeline_window_test.moc"
