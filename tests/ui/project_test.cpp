// Projects in the app: shots made from the prompt panel's parameters, the
// document's save / open / Save As / autosave recovery, undo of shot edits, the
// window's Ctrl+S, close and restart behaviour, and a saved project rendered by
// `dcgen render` giving the pixels the app's queue gave.
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include "core/project/project_file.h"
#include "tests/ui/ui_test_registry.h"
#include "tests/ui/ui_test_support.h"
#include "ui/common/notice_bar.h"
#include "ui/gallery/gallery_model.h"
#include "ui/main_window/main_window.h"
#include "ui/project/project_document.h"
#include "ui/project/recent_projects.h"
#include "ui/project/shot_list_model.h"
#include "ui/project/shot_params.h"
#include "ui/prompt/prompt_panel.h"
#include "ui/queue/render_queue_model.h"

namespace dc::ui {
namespace {

GenerationParams tiny_params(const QString& prompt, quint64 seed) {
  GenerationParams p;
  p.model_folder = test::tiny_pipeline();
  p.prompt = prompt;
  p.steps = 2;
  p.width = 64;
  p.height = 64;
  p.seed = seed;
  return p;
}

}  // namespace

class ProjectTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  int unsaved_questions_ = 0;
  int restore_questions_ = 0;

  QString path(const QString& name) const { return dir_->filePath(name); }

  // Autosaves count when newer than the file; file times are coarse (a few ms), so a
  // test that saves and autosaves at once dates the file back instead of sleeping.
  static void ageFile(const QString& file) {
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(-60), QFileDevice::FileModificationTime));
  }

  std::unique_ptr<MainWindow> makeWindow(bool restore_answer = true) {
    MainWindowOptions o{path(QStringLiteral("data")), path(QStringLiteral("out")), {}};
    o.prompts.unsaved_changes = [this](const QString&) {
      ++unsaved_questions_;
      return static_cast<int>(QMessageBox::Discard);
    };
    o.prompts.restore_autosave = [this, restore_answer](const QString&) {
      ++restore_questions_;
      return restore_answer;
    };
    auto w = std::make_unique<MainWindow>(o);
    w->show();
    w->activateWindow();
    if (!QTest::qWaitForWindowActive(w.get())) qWarning("window not active");
    return w;
  }

 private Q_SLOTS:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    unsaved_questions_ = restore_questions_ = 0;
    AppSettings s;
    s.model_folders = {test::tiny_pipelines_folder()};
    s.output_folder = path(QStringLiteral("out"));
    s.device = QStringLiteral("cpu");
    test::write_settings(path(QStringLiteral("data")), s);
  }
  void cleanup() { dir_.reset(); }

  void shotsShareTheirModelAndFollowEachOther() {
    ProjectDocument doc;
    const ShotDraft first = shot_from_params(doc.project(), tiny_params(QStringLiteral("one"), 1), QString());
    QVERIFY(first.new_model.has_value());
    QCOMPARE(first.new_model->id, std::string("tiny-dcgen-flux"));
    QCOMPARE(first.shot.id, std::string("shot-001"));
    QVERIFY(doc.insertShot(0, first).ok());
    const ShotDraft second = shot_from_params(doc.project(), tiny_params(QStringLiteral("two"), 2), QString());
    QVERIFY(!second.new_model.has_value());  // the same folder: the same model
    QCOMPARE(second.shot.model, std::string("tiny-dcgen-flux"));
    QCOMPARE(second.shot.id, std::string("shot-002"));
    QCOMPARE(second.shot.timeline.start, kImageShotSeconds);  // after the first
    QVERIFY(doc.insertShot(1, second).ok());
    QVERIFY(!doc.insertShot(2, second).ok());  // the id is taken now: refused, nothing changes
    QCOMPARE(doc.project().shots.size(), 2u);
    QVERIFY(doc.isDirty());
    QVERIFY(!doc.removeModel("tiny-dcgen-flux").ok());  // still used
  }

  void parametersSurviveAShot() {
    GenerationParams p = tiny_params(QStringLiteral("a lighthouse"), 99);
    p.negative_prompt = QStringLiteral("fog");
    p.true_cfg_scale = 3.0;
    p.guidance = 5.0;
    const project::Project empty;
    const ShotDraft draft = shot_from_params(empty, p, QString());
    project::Project with_model;
    with_model.models.push_back(*draft.new_model);
    GenerationParams back = params_from_shot(with_model, draft.shot, QString());
    back.model_folder = QFileInfo(back.model_folder).canonicalFilePath();
    p.model_folder = QFileInfo(p.model_folder).canonicalFilePath();
    QCOMPARE(back, p);
  }

  void saveAsRebasesModelFoldersAndOpenReadsThemBack() {
    // A model inside the project's folder is stored relative to it...
    QVERIFY(QDir().mkpath(path(QStringLiteral("film/models/mine"))));
    QFile(path(QStringLiteral("film/models/mine/model_index.json"))).open(QIODevice::WriteOnly);
    ProjectDocument doc;
    QVERIFY(doc.saveAs(path(QStringLiteral("film/film.dcproj"))).ok());
    GenerationParams p = tiny_params(QStringLiteral("x"), 1);
    p.model_folder = path(QStringLiteral("film/models/mine"));
    QVERIFY(doc.insertShot(0, shot_from_params(doc.project(), p, doc.filePath())).ok());
    QCOMPARE(doc.project().models.front().folder, std::string("models/mine"));
    QVERIFY(doc.save().ok());
    QVERIFY(!doc.isDirty());
    // ...and becomes absolute when the project moves away from it.
    QVERIFY(QDir().mkpath(path(QStringLiteral("other"))));
    QVERIFY(doc.saveAs(path(QStringLiteral("other/elsewhere.dcproj"))).ok());
    QCOMPARE(QString::fromStdString(doc.project().models.front().folder),
             QFileInfo(path(QStringLiteral("film/models/mine"))).canonicalFilePath());
    ProjectDocument reopened;
    QVERIFY(reopened.open(path(QStringLiteral("other/elsewhere.dcproj"))).ok());
    QCOMPARE(reopened.project(), doc.project());
    QCOMPARE(QFileInfo(params_from_shot(reopened.project(), reopened.project().shots[0], reopened.filePath())
                           .model_folder).canonicalFilePath(),
             QFileInfo(p.model_folder).canonicalFilePath());
  }

  void anAutosaveNewerThanTheFileIsOffered() {
    ProjectDocument doc;
    QVERIFY(doc.saveAs(path(QStringLiteral("a.dcproj"))).ok());
    QVERIFY(doc.insertShot(0, shot_from_params(doc.project(), tiny_params(QStringLiteral("x"), 1), doc.filePath())).ok());
    ageFile(path(QStringLiteral("a.dcproj")));
    QVERIFY(doc.writeAutosave().ok());  // what the timer does; then the app "crashes"

    ProjectDocument next;
    QVERIFY(next.open(path(QStringLiteral("a.dcproj"))).ok());
    QCOMPARE(next.project().shots.size(), 0u);
    Result<std::optional<project::Recovery>> r = next.recovery();
    QVERIFY(r.ok());
    QVERIFY(r->has_value());
    next.restoreAutosave(**r);
    QCOMPARE(next.project(), doc.project());
    QVERIFY(next.isDirty());
    QVERIFY(next.save().ok());  // saving drops the autosave
    QVERIFY(!QFileInfo::exists(path(QStringLiteral("a.dcproj.autosave"))));
  }

  void addShotUndoRedoAndCtrlS() {
    auto w = makeWindow();
    w->promptPanel()->setParams(tiny_params(QStringLiteral("a red fox"), 7));
    QTest::keyClick(w.get(), Qt::Key_D, Qt::ControlModifier);
    QCOMPARE(w->projectDocument()->project().shots.size(), 1u);
    QCOMPARE(w->projectDocument()->project().models.size(), 1u);
    QVERIFY(w->windowTitle().startsWith(QLatin1String("Untitled*")));
    QCOMPARE(w->undoStack()->undoText(), QStringLiteral("Add shot shot-001"));
    w->undoStack()->undo();  // the shot and the model it brought
    QCOMPARE(w->projectDocument()->project().shots.size(), 0u);
    QCOMPARE(w->projectDocument()->project().models.size(), 0u);
    w->undoStack()->redo();
    QCOMPARE(w->projectDocument()->project().shots.size(), 1u);

    QVERIFY(w->saveProjectAs(path(QStringLiteral("film.dcproj"))));
    QCOMPARE(w->windowTitle(), QStringLiteral("film.dcproj — DC Studio"));
    w->promptPanel()->setParams(tiny_params(QStringLiteral("a blue bird"), 8));
    w->addShotFromPanel();
    QVERIFY(w->windowTitle().startsWith(QLatin1String("film.dcproj*")));
    QTest::keyClick(w.get(), Qt::Key_S, Qt::ControlModifier);  // saves to film.dcproj, no dialog
    QVERIFY(!w->projectDocument()->isDirty());
    Result<project::Project> on_disk = project::load_project(path(QStringLiteral("film.dcproj")).toStdString());
    QVERIFY(on_disk.ok());
    QCOMPARE(*on_disk, w->projectDocument()->project());
    QCOMPARE(on_disk->shots[1].prompt, std::string("a blue bird"));
    QCOMPARE(on_disk->shots[1].seed, 8u);
    test::save_screenshot(w.get(), QStringLiteral("main_window_project"));

    w->loadShot(0);
    QCOMPARE(w->promptPanel()->params().prompt, QStringLiteral("a red fox"));
    QCOMPARE(w->promptPanel()->params().seed, 7u);
  }

  // File ▸ Open recent: newest first, one entry per file, kept across a restart,
  // capped; a file that has gone is an error and leaves the list; Clear empties it.
  void recentProjectsAreListedReopenedAndForgotten() {
    QStringList files;
    for (const char* name : {"one", "two", "three"}) {
      files << path(QStringLiteral("%1.dcproj").arg(QLatin1String(name)));
      QVERIFY(project::save_project_atomic(project::Project{}, files.last().toStdString()).ok());
    }
    {
      auto w = makeWindow();
      auto* menu = w->findChild<QMenu*>(QStringLiteral("menuRecentProjects"));
      QVERIFY(menu);
      QCOMPARE(menu->actions().front()->text(), QStringLiteral("No recent projects"));
      QVERIFY(w->openProject(files[0]));
      QVERIFY(w->openProject(files[1]));
      QVERIFY(w->saveProjectAs(path(QStringLiteral("two-copy.dcproj"))));
      QVERIFY(w->openProject(path(QStringLiteral("./one.dcproj"))));  // another spelling of one file
      QCOMPARE(w->recentProjects()->files(),
               QStringList({files[0], path(QStringLiteral("two-copy.dcproj")), files[1]}));
      QVERIFY(menu->actions().front()->text().startsWith(QStringLiteral("&1  one.dcproj\t")));
    }
    auto w = makeWindow();  // a restart: the list is back (and the last project reopened)
    QCOMPARE(w->recentProjects()->files().size(), 3);
    auto* menu = w->findChild<QMenu*>(QStringLiteral("menuRecentProjects"));
    QAction* third = menu->actions()[2];
    QCOMPARE(third->data().toString(), files[1]);
    third->trigger();
    QCOMPARE(w->projectDocument()->filePath(), files[1]);
    QCOMPARE(w->recentProjects()->files().front(), files[1]);

    // Gone from disk: listed as not found, and opening it says so and drops it.
    QVERIFY(QFile::remove(files[0]));
    w->recentProjects()->add(files[2]);  // rebuilds the menu
    QVERIFY(menu->actions()[2]->text().contains(QStringLiteral("(not found)")));
    QVERIFY(!w->openRecentProject(files[0]));
    QVERIFY(w->noticeBar()->isVisible());
    QVERIFY(!w->recentProjects()->files().contains(files[0]));
    QCOMPARE(w->projectDocument()->filePath(), files[1]);  // the open project stays

    for (int i = 0; i < kMaxRecentProjects + 3; ++i) w->recentProjects()->add(path(QStringLiteral("p%1.dcproj").arg(i)));
    QCOMPARE(w->recentProjects()->files().size(), kMaxRecentProjects);
    QCOMPARE(w->recentProjects()->files().front(), path(QStringLiteral("p%1.dcproj").arg(kMaxRecentProjects + 2)));
    menu->actions().last()->trigger();  // Clear the list
    QVERIFY(w->recentProjects()->files().isEmpty());
    QCOMPARE(menu->actions().front()->text(), QStringLiteral("No recent projects"));
  }

  void closingAsksAboutUnsavedEditsAndARestartReopensTheProject() {
    {
      auto w = makeWindow();
      QVERIFY(w->saveProjectAs(path(QStringLiteral("film.dcproj"))));
      w->close();
      QCOMPARE(unsaved_questions_, 0);  // nothing unsaved
    }
    {
      auto w = makeWindow();
      QTRY_COMPARE(w->projectDocument()->filePath(), QFileInfo(path(QStringLiteral("film.dcproj"))).absoluteFilePath());
      w->promptPanel()->setParams(tiny_params(QStringLiteral("unsaved"), 3));
      w->addShotFromPanel();
      ageFile(path(QStringLiteral("film.dcproj")));
      QVERIFY(w->projectDocument()->writeAutosave().ok());
      w->close();  // answered Discard
      QCOMPARE(unsaved_questions_, 1);
    }
    auto w = makeWindow(/*restore_answer=*/true);
    QTRY_COMPARE(restore_questions_, 1);  // the autosave is newer than the file
    QCOMPARE(w->projectDocument()->project().shots.size(), 1u);
    QCOMPARE(w->projectDocument()->project().shots[0].prompt, std::string("unsaved"));
    QVERIFY(w->projectDocument()->isDirty());
    QVERIFY(w->saveProject());
  }

  void queuedShotsMakeWhatDcgenRenderMakes() {
    auto w = makeWindow();
    w->promptPanel()->setParams(tiny_params(QStringLiteral("a red fox"), 11));
    w->addShotFromPanel();
    GenerationParams bird = tiny_params(QStringLiteral("a blue bird"), 12);
    bird.schedule = QStringLiteral("flux2");  // not the tiny model's own: both must honour the shot's choice
    w->promptPanel()->setParams(bird);
    QCOMPARE(w->promptPanel()->params().schedule, QStringLiteral("flux2"));
    w->addShotFromPanel();
    QCOMPARE(w->projectDocument()->project().shots[1].schedule, std::string("flux2"));
    QVERIFY(w->saveProjectAs(path(QStringLiteral("film.dcproj"))));
    w->queueAllShots();
    QTRY_COMPARE_WITH_TIMEOUT(w->galleryModel()->rowCount(), 2, 120000);

    QProcess dcgen;
    dcgen.start(QStringLiteral(DCGEN_PATH), {QStringLiteral("render"), path(QStringLiteral("film.dcproj")),
                                             QStringLiteral("--device"), QStringLiteral("cpu")});
    QVERIFY(dcgen.waitForFinished(120000));
    QVERIFY2(dcgen.exitCode() == 0, dcgen.readAllStandardError().constData());
    // dcgen render writes renders/<shot id>.png beside the project; the gallery is newest first.
    const QString shots[2] = {QStringLiteral("shot-001"), QStringLiteral("shot-002")};
    for (int k = 0; k < 2; ++k) {
      const QImage rendered(path(QStringLiteral("renders/%1.png").arg(shots[k])));
      const QImage ours(w->galleryModel()->item(1 - k)->file);
      QVERIFY(!rendered.isNull());
      QCOMPARE(rendered.convertToFormat(QImage::Format_RGB888), ours.convertToFormat(QImage::Format_RGB888));
    }
  }
};

DC_UI_TEST(ProjectTest);

}  // namespace dc::ui

#include "project_test.moc"
