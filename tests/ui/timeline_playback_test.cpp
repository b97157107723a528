// Timeline playback: the shot in front at a time (gaps, overlapping tracks), the
// playback clock (advance, stop at the end, loop, play from the end starts over,
// real time), what the viewport is shown at the playhead (a shot's rendered
// picture, a card for an unrendered or video shot, nothing in a gap, a rewritten
// file noticed), the main window's viewport following play and scrub but not a
// paused playhead, and "Queue all shots" putting pictures where the timeline looks.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>
#include <memory>

#include "tests/ui/timeline_test_support.h"
#include "tests/ui/ui_test_registry.h"
#include "tests/ui/ui_test_support.h"
#include "ui/main_window/main_window.h"
#include "ui/project/project_document.h"
#include "ui/queue/queue_runner.h"
#include "ui/queue/queue_store.h"
#include "ui/queue/render_queue_model.h"
#include "ui/timeline/playhead_preview.h"
#include "ui/timeline/timeline_edits.h"
#include "ui/timeline/timeline_model.h"
#include "ui/timeline/timeline_panel.h"
#include "ui/timeline/timeline_playback.h"
#include "ui/timeline/timeline_view.h"
#include "ui/viewport/viewport_widget.h"

namespace dc::ui {

class TimelinePlaybackTest : public QObject {
  Q_OBJECT

 private:
  static constexpr int kJobTimeoutMs = 120000;  // a loaded CI machine; a 64² job takes ~1 s
  std::unique_ptr<test::OpenTimeline> timeline_;
  TimelineModel* model_ = nullptr;  // timeline_'s

  QString path(const QString& name) const { return timeline_->dir.filePath(name); }
  QString projectFile() const { return timeline_->projectFile(); }
  // Where the timeline looks for a shot's picture (the project's output folder is "renders").
  QString rendered(const char* id) const { return path(QStringLiteral("renders/%1.png").arg(QLatin1String(id))); }

  static QImage solid(QColor color, int side = 64) {
    QImage image(side, side, QImage::Format_RGB32);
    image.fill(color);
    return image;
  }
  void writePicture(const char* id, QColor color) {
    QVERIFY(QDir().mkpath(path(QStringLiteral("renders"))));
    QVERIFY(solid(color).save(rendered(id)));
  }

  std::unique_ptr<MainWindow> makeWindow() { return test::open_main_window(timeline_->dir.path(), projectFile()); }

 private Q_SLOTS:
  void init() {
    timeline_ = test::open_timeline(/*with_panel=*/false);
    QVERIFY(timeline_);
    model_ = timeline_->model.get();
    AppSettings s;
    s.model_folders = {test::tiny_pipelines_folder()};
    s.output_folder = path(QStringLiteral("out"));
    s.device = QStringLiteral("cpu");
    test::write_settings(path(QStringLiteral("data")), s);
  }

  void cleanup() { timeline_.reset(); }

  void theTopTrackIsInFrontAndGapsShowNothing() {
    std::vector<project::Shot> shots(3);
    shots[0].timeline = {1, 0.0, 4.0};  // track 2, 0 .. 4
    shots[1].timeline = {0, 2.0, 1.0};  // track 1, 2 .. 3: in front of the first
    shots[2].timeline = {0, 6.0, 2.0};
    QCOMPARE(timeline::shot_at(shots, 0.0), 0);
    QCOMPARE(timeline::shot_at(shots, 1.99), 0);
    QCOMPARE(timeline::shot_at(shots, 2.0), 1);
    QCOMPARE(timeline::shot_at(shots, 2.999), 1);
    QCOMPARE(timeline::shot_at(shots, 3.0), 0);
    QCOMPARE(timeline::shot_at(shots, 4.0), -1);  // an end is not inside the shot
    QCOMPARE(timeline::shot_at(shots, 5.0), -1);
    QCOMPARE(timeline::shot_at(shots, 7.5), 2);
    QCOMPARE(timeline::shot_at(shots, 8.0), -1);
    QCOMPARE(timeline::shot_at({}, 0.0), -1);
  }

  void playStopsAtTheEndLoopsAndStartsOver() {
    TimelinePlayback playback(model_);
    QSignalSpy playing(&playback, &TimelinePlayback::playingChanged);
    QCOMPARE(model_->endTime(), 17.0);
    model_->setPlayhead(2.0);
    playback.play();
    QVERIFY(playback.isPlaying());
    QCOMPARE(model_->playhead(), 2.0);  // from where the playhead was
    playback.advance(1.5);
    QCOMPARE(model_->playhead(), 3.5);
    playback.advance(100);
    QCOMPARE(model_->playhead(), 17.0);  // stopped on the last frame
    QVERIFY(!playback.isPlaying());
    QCOMPARE(playing.count(), 2);
    playback.play();  // at the end: over again from 0
    QCOMPARE(model_->playhead(), 0.0);
    playback.setLooping(true);
    playback.advance(16.0);
    playback.advance(2.5);
    QCOMPARE(model_->playhead(), 1.5);  // wrapped
    QVERIFY(playback.isPlaying());
    playback.toggle();
    QVERIFY(!playback.isPlaying());
    QCOMPARE(model_->playhead(), 1.5);  // pause keeps the place

    // Nothing to play: play does nothing.
    ProjectDocument empty;
    QUndoStack undo;
    TimelineModel none(&empty, &undo);
    TimelinePlayback idle(&none);
    idle.play();
    QVERIFY(!idle.isPlaying());
  }

  void playsInRealTime() {
    TimelinePlayback playback(model_);
    QElapsedTimer wall;
    wall.start();
    playback.play();
    QTRY_VERIFY_WITH_TIMEOUT(model_->playhead() >= 0.25, 5000);
    const double elapsed = wall.elapsed() / 1000.0;
    playback.pause();
    // The clock never runs ahead of the wall, and a tick that came late was made up.
    QVERIFY2(model_->playhead() <= elapsed + 1e-3, qPrintable(QStringLiteral("%1 > %2").arg(model_->playhead()).arg(elapsed)));
    const double paused_at = model_->playhead();
    QTest::qWait(100);
    QCOMPARE(model_->playhead(), paused_at);
  }

  void thePreviewShowsTheShotAtThePlayhead() {
    writePicture("opening", Qt::red);
    PlayheadPreview preview(model_);

    PlayheadFrame opening = preview.frameAt(1.0);
    QCOMPARE(opening.row, 0);
    QVERIFY(opening.rendered);
    QCOMPARE(opening.image.pixelColor(10, 10), QColor(Qt::red));
    QCOMPARE(opening.caption, QStringLiteral("opening · opening.png"));
    QCOMPARE(preview.frameAt(4.999).row, 0);

    // A video shot: a card with the prompt in effect at the frame shown (keyframe at 16).
    PlayheadFrame early = preview.frameAt(5.5);  // frame 8 at 16 fps
    QCOMPARE(early.row, 1);
    QVERIFY(!early.rendered);
    QCOMPARE(early.caption, QStringLiteral("harbour · frame 8 of 48"));
    PlayheadFrame later = preview.frameAt(6.0);  // frame 16: the keyframe's prompt
    QCOMPARE(later.caption, QStringLiteral("harbour · frame 16 of 48"));
    QVERIFY(!later.image.isNull());
    QVERIFY(later.image != early.image);  // the card follows the prompt (and frame)
    QCOMPARE(later.image.width(), later.image.height());  // the shot's 64² aspect

    // Not rendered yet: a card that says so.
    PlayheadFrame gulls = preview.frameAt(9.0);
    QCOMPARE(gulls.row, 2);
    QVERIFY(!gulls.rendered);
    QVERIFY(!gulls.image.isNull());
    QCOMPARE(gulls.caption, QStringLiteral("gulls · not rendered"));

    PlayheadFrame gap = preview.frameAt(18.0);
    QCOMPARE(gap.row, -1);
    QVERIFY(gap.image.isNull());
  }

  void refreshEmitsOnlyWhenThePictureChanges() {
    writePicture("opening", Qt::red);
    PlayheadPreview preview(model_);
    QList<PlayheadFrame> shown;
    connect(&preview, &PlayheadPreview::frameChanged, this, [&shown](const PlayheadFrame& f) { shown << f; });
    model_->setPlayhead(1.0);
    preview.refresh();
    model_->setPlayhead(2.0);
    preview.refresh();  // the same picture: nothing to show anew
    QCOMPARE(shown.size(), 1);
    preview.refresh(/*force=*/true);
    QCOMPARE(shown.size(), 2);

    // The file rewritten (a new render): its new pixels are shown.
    writePicture("opening", Qt::blue);
    QFile file(rendered("opening"));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.setFileTime(QDateTime::currentDateTime().addSecs(5), QFileDevice::FileModificationTime));
    file.close();
    preview.refresh();
    QCOMPARE(shown.size(), 3);
    QCOMPARE(shown.last().image.pixelColor(5, 5), QColor(Qt::blue));

    model_->setPlayhead(5.0 + 3.0 / 16);  // harbour, frames 3 then 4: each frame is shown
    preview.refresh();
    model_->setPlayhead(5.0 + 4.0 / 16 + 1e-6);
    preview.refresh();
    QCOMPARE(shown.size(), 5);
    model_->setPlayhead(20.0);  // past the end: the viewport is cleared
    preview.refresh();
    QCOMPARE(shown.size(), 6);
    QCOMPARE(shown.last().row, -1);
  }

  void theViewportFollowsPlayAndScrubButNotAPausedPlayhead() {
    writePicture("opening", Qt::green);
    auto w = makeWindow();
    ViewportWidget* viewport = w->viewport();
    TimelinePlayback* playback = w->timelinePanel()->playback();
    auto* play = w->findChild<QToolButton*>(QStringLiteral("timelinePlay"));
    QVERIFY(play && play->isEnabled());

    QTest::mouseClick(play, Qt::LeftButton);
    QVERIFY(playback->isPlaying());
    QCOMPARE(play->text(), QStringLiteral("Pause"));
    QCOMPARE(viewport->caption(), QStringLiteral("opening · opening.png"));
    QCOMPARE(viewport->image().pixelColor(3, 3), QColor(Qt::green));
    playback->pause();
    w->timelineModel()->setPlayhead(6.0);
    playback->play();  // play shows the playhead's shot at once
    QCOMPARE(viewport->caption(), QStringLiteral("harbour · frame 16 of 48"));
    test::save_screenshot(w.get(), QStringLiteral("timeline_playback"));  // with DC_UI_SCREENSHOTS set
    playback->advance(3.0);
    QCOMPARE(viewport->caption(), QStringLiteral("gulls · not rendered"));

    // Space in the timeline pauses; a paused playhead moved by code leaves the viewport alone.
    TimelineView* view = w->timelinePanel()->view();
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Space);
    QVERIFY(!playback->isPlaying());
    QCOMPARE(play->text(), QStringLiteral("Play"));
    w->timelineModel()->setPlayhead(1.0);
    QCOMPARE(viewport->caption(), QStringLiteral("gulls · not rendered"));

    // Scrubbing the ruler shows what passes under it.
    const int ruler_y = TimelineGeometry::kRulerHeight / 2;
    const int x_opening = static_cast<int>(view->geometry().xOf(2.0));
    const int x_night = static_cast<int>(view->geometry().xOf(14.0));
    QTest::mousePress(view, Qt::LeftButton, {}, QPoint(x_night, ruler_y));
    QVERIFY(view->isScrubbing());
    QTest::mouseMove(view, QPoint(x_opening, ruler_y));
    QTest::mouseMove(view, QPoint(x_night, ruler_y));
    QVERIFY(viewport->caption().startsWith(QStringLiteral("night · frame ")));
    QTest::mouseRelease(view, Qt::LeftButton, {}, QPoint(x_night, ruler_y));
    QVERIFY(!view->isScrubbing());
  }

  void queuedShotsLandWhereTheTimelineLooks() {
    auto w = makeWindow();
    QVERIFY(!QFileInfo::exists(rendered("opening")));
    w->queueAllShots();  // the two image shots; the video shots are skipped
    QCOMPARE(w->queueModel()->rowCount(), 2);
    QCOMPARE(w->queueModel()->entries()[0].shot_output, rendered("opening"));
    QTRY_COMPARE_WITH_TIMEOUT(w->queueModel()->entries()[1].state, QueueState::kDone, kJobTimeoutMs);
    for (const char* id : {"opening", "gulls"}) {
      const QImage published(rendered(id));
      QVERIFY2(!published.isNull(), id);
      QCOMPARE(published.size(), QSize(64, 64));
    }
    // The same bytes as the gallery's copy, and the timeline's clip shows it.
    QFile gallery_copy(w->queueModel()->entries()[0].outputs.front());
    QFile project_copy(rendered("opening"));
    QVERIFY(gallery_copy.open(QIODevice::ReadOnly) && project_copy.open(QIODevice::ReadOnly));
    QCOMPARE(project_copy.readAll(), gallery_copy.readAll());
    QVERIFY(!w->timelineModel()->thumbnail(0, 32).isNull());
    QVERIFY(w->playheadPreview()->frameAt(9.0).rendered);

    // The destination survives a restart of the queue file.
    const QString queue_file = path(QStringLiteral("queue-copy.json"));
    QVERIFY(save_queue(queue_file, w->queueModel()->entries()).ok());
    Result<QList<QueueEntry>> back = load_queue(queue_file);
    QVERIFY(back.ok());
    QCOMPARE(back->at(1).shot_output, rendered("gulls"));
  }

  // An unsaved project has no output folder: its shot jobs go to the gallery only.
  void anUnsavedProjectsShotsStayInTheGallery() {
    auto w = makeWindow();
    QVERIFY(w->newProject());
    w->addShotFromPanel();
    w->queueAllShots();
    QCOMPARE(w->queueModel()->rowCount(), 1);
    QVERIFY(w->queueModel()->entries()[0].shot_output.isEmpty());
    w->queueRunner()->cancel(w->queueModel()->entries()[0].id);
  }
};

DC_UI_TEST(TimelinePlaybackTest);

}  // namespace dc::ui

#include "timeline_playback_test.moc"
