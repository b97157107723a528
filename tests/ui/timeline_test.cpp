// The timeline on its own (model + painted view over a ProjectDocument, offscreen):
// selecting shots and keyframes with the mouse, dragging a clip to move and
// reorder it, dragging a video clip's end to trim it, the playhead on the ruler,
// zoom and scroll, keyframes added at the playhead / dragged / deleted, arrow-key
// nudges; each edit undone and redone, with the invariants checked after every step.
#include <QApplication>
#include <QDir>
#include <QImage>
#include <QItemSelectionModel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>
#include <memory>

#include "tests/ui/timeline_test_support.h"
#include "tests/ui/ui_test_registry.h"
#include "tests/ui/ui_test_support.h"
#include "ui/project/project_document.h"
#include "ui/project/shot_list_model.h"
#include "ui/timeline/timeline_edits.h"
#include "ui/timeline/timeline_model.h"
#include "ui/timeline/timeline_panel.h"
#include "ui/timeline/timeline_view.h"

// Stops the test when an invariant broke, naming it.
#define CHECK_CONSISTENT()                                               \
  do {                                                                   \
    const QString broken = test::timeline_inconsistency(*model_);       \
    QVERIFY2(broken.isEmpty(), qPrintable(broken));                      \
    QCOMPARE(list_->rowCount(), static_cast<int>(model_->shots().size())); \
  } while (0)

namespace dc::ui {

class TimelineTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<test::OpenTimeline> timeline_;
  ProjectDocument* doc_ = nullptr;  // timeline_'s parts
  QUndoStack* undo_ = nullptr;
  TimelineModel* model_ = nullptr;
  TimelinePanel* panel_ = nullptr;
  std::unique_ptr<ShotListModel> list_;  // the Project panel's model follows the same edits
  TimelineView* view_ = nullptr;

  const project::Shot& shot(const char* id) const {
    const project::Shot* s = doc_->project().find_shot(id);
    if (!s) qFatal("no shot %s", id);
    return *s;
  }
  int row(const char* id) const { return static_cast<int>(doc_->project().find_shot(id) - doc_->project().shots.data()); }
  QStringList order() const {
    QStringList ids;
    for (const project::Shot& s : doc_->project().shots) ids << QString::fromStdString(s.id);
    return ids;
  }
  // A point of the view at `seconds` in the middle of `track`'s lane.
  QPoint at(double seconds, int track) const {
    const TimelineGeometry& g = view_->geometry();
    return QPointF(g.xOf(seconds), g.laneTop(track) + TimelineGeometry::kTrackHeight / 2.0).toPoint();
  }
  // `screenshot`: with DC_UI_SCREENSHOTS set, the panel mid-drag is saved under that name.
  void drag(QPoint from, QPoint to, const QString& screenshot = {}) {
    QTest::mousePress(view_, Qt::LeftButton, {}, from);
    QTest::mouseMove(view_, from + QPoint(to.x() > from.x() ? 3 : -3, 0));  // not yet past the drag threshold
    QTest::mouseMove(view_, (from + to) / 2);
    QTest::mouseMove(view_, to);
    if (!screenshot.isEmpty()) test::save_screenshot(panel_, screenshot);
    QTest::mouseRelease(view_, Qt::LeftButton, {}, to);
  }

 private Q_SLOTS:
  void init() {
    timeline_ = test::open_timeline(/*with_panel=*/true);
    QVERIFY(timeline_);
    doc_ = &timeline_->doc;
    undo_ = &timeline_->undo;
    model_ = timeline_->model.get();
    panel_ = timeline_->panel.get();
    view_ = panel_->view();
    list_ = std::make_unique<ShotListModel>(doc_);
    QCOMPARE(view_->pixelsPerSecond(), 40.0);  // the tests below place the mouse in these units
    CHECK_CONSISTENT();
  }

  void cleanup() {
    list_.reset();
    timeline_.reset();
  }

  void clicksSelectShotsAndKeyframes() {
    QTest::mouseClick(view_, Qt::LeftButton, {}, at(9, 0));
    QCOMPARE(model_->currentShot(), row("gulls"));
    QCOMPARE(model_->currentKeyframe(), -1);
    QTest::mouseClick(view_, Qt::LeftButton, {}, view_->keyframePoint(row("harbour"), 0).toPoint());
    QCOMPARE(model_->currentShot(), row("harbour"));
    QCOMPARE(model_->currentKeyframe(), 0);
    QCOMPARE(model_->data(model_->selectionModel()->currentIndex(), TimelineModel::kPromptRole).toString(),
             QStringLiteral("boats leave the harbour"));
    QTest::mouseClick(view_, Qt::LeftButton, {}, at(15, 1));
    QCOMPARE(model_->currentShot(), row("night"));
    QTest::mouseClick(view_, Qt::LeftButton, {}, at(19, 0));  // empty lane
    QCOMPARE(model_->currentShot(), -1);
    QCOMPARE(undo_->count(), 0);  // selecting is not an edit
  }

  void draggingAClipOntoAnotherReordersAndPushes() {
    QTest::mouseClick(view_, Qt::LeftButton, {}, at(10.5, 0));
    const QStringList before = order();
    // Grabbed at 10.5 s (2.5 s into "gulls") and dropped so it would start at 0.5 s:
    // inside the first half of "opening", so it goes first and the track moves right.
    drag(at(10.5, 0), at(3.0, 0), QStringLiteral("timeline_dragging"));
    QCOMPARE(order(), (QStringList{"gulls", "opening", "harbour", "night"}));
    QCOMPARE(shot("gulls").timeline.start, 0.0);
    QCOMPARE(shot("opening").timeline.start, 5.0);
    QCOMPARE(shot("harbour").timeline.start, 10.0);
    QCOMPARE(shot("night").timeline.start, 13.0);  // another track: untouched
    QCOMPARE(model_->currentShot(), row("gulls"));  // the selection follows the shot
    QCOMPARE(undo_->count(), 1);
    QCOMPARE(undo_->undoText(), QStringLiteral("Move gulls"));
    CHECK_CONSISTENT();
    undo_->undo();
    QCOMPARE(order(), before);
    QCOMPARE(shot("gulls").timeline.start, 8.0);
    QCOMPARE(shot("harbour").timeline.start, 5.0);
    CHECK_CONSISTENT();
    undo_->redo();
    QCOMPARE(order().first(), QStringLiteral("gulls"));
    CHECK_CONSISTENT();

    // Down onto track 1, after "night" (second half): a new place in time and track.
    drag(at(1.0, 0), at(16.5, 1));
    QCOMPARE(shot("gulls").timeline.track, 1);
    QCOMPARE(shot("gulls").timeline.start, 17.0);
    QCOMPARE(order().last(), QStringLiteral("gulls"));
    CHECK_CONSISTENT();
    undo_->undo();
    QCOMPARE(shot("gulls").timeline.track, 0);
    CHECK_CONSISTENT();
  }

  void draggingTheEndOfAVideoClipTrimsWholeFrames() {
    const QRectF clip = view_->clipRect(row("harbour"));
    const QPoint edge(static_cast<int>(clip.right()) - 2, static_cast<int>(clip.top() + 12));
    drag(edge, edge + QPoint(40, 0));  // one second at 40 px/s
    QCOMPARE(shot("harbour").frames, 64);
    QCOMPARE(shot("harbour").timeline.duration, 4.0);
    QCOMPARE(shot("gulls").timeline.start, 9.0);  // pushed to make room
    QCOMPARE(undo_->undoText(), QStringLiteral("Trim harbour to 64 frames"));
    CHECK_CONSISTENT();
    // Shorter than its keyframe (frame 16 = 1 s): the keyframe goes; gulls stays where it was pushed.
    drag(edge + QPoint(40, 0), edge - QPoint(100, 0));
    QCOMPARE(shot("harbour").frames, 8);
    QVERIFY(shot("harbour").keyframes.empty());
    QCOMPARE(shot("gulls").timeline.start, 9.0);
    CHECK_CONSISTENT();
    undo_->undo();
    QCOMPARE(shot("harbour").frames, 64);
    QCOMPARE(shot("harbour").keyframes.size(), 1u);
    CHECK_CONSISTENT();
    undo_->undo();
    QCOMPARE(shot("harbour").frames, 48);
    QCOMPARE(shot("gulls").timeline.start, 8.0);
    CHECK_CONSISTENT();
    undo_->redo();
    QCOMPARE(shot("harbour").frames, 64);
    CHECK_CONSISTENT();
    // Image shots keep their length: their edge moves the clip, and the model refuses a trim.
    const Status refused = model_->trimShot(row("opening"), 2.0);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message().find("image shot") != std::string::npos);
    QCOMPARE(undo_->count(), 2);
  }

  void theRulerMovesThePlayheadAndCtrlWheelZooms() {
    QSignalSpy moved(model_, &TimelineModel::playheadChanged);
    const int ruler_y = TimelineGeometry::kRulerHeight / 2;
    const TimelineGeometry& g = view_->geometry();
    QTest::mouseClick(view_, Qt::LeftButton, {}, QPoint(static_cast<int>(g.xOf(3.0)), ruler_y));
    QVERIFY(std::abs(model_->playhead() - 3.0) <= 1.0 / 40);
    QTest::mousePress(view_, Qt::LeftButton, {}, QPoint(static_cast<int>(g.xOf(3.0)), ruler_y));
    QTest::mouseMove(view_, QPoint(static_cast<int>(g.xOf(6.5)), ruler_y));
    QVERIFY(std::abs(model_->playhead() - 6.5) <= 1.0 / 40);
    QTest::mouseRelease(view_, Qt::LeftButton, {}, QPoint(static_cast<int>(g.xOf(6.5)), ruler_y));
    QVERIFY(moved.count() >= 2);
    QCOMPARE(model_->currentShot(), -1);  // the ruler does not select
    view_->setFocus();
    QTest::keyClick(view_, Qt::Key_Home);
    QCOMPARE(model_->playhead(), 0.0);
    QTest::keyClick(view_, Qt::Key_End);
    QCOMPARE(model_->playhead(), 17.0);

    // Ctrl+wheel zooms in around the mouse: the time under it stays under it.
    const QPointF mouse = at(7.0, 0);
    QWheelEvent zoom(mouse, view_->mapToGlobal(mouse), {}, QPoint(0, 120), Qt::NoButton, Qt::ControlModifier,
                     Qt::NoScrollPhase, false);
    QApplication::sendEvent(view_, &zoom);
    QCOMPARE(view_->pixelsPerSecond(), 50.0);
    QVERIFY(std::abs(view_->geometry().timeAt(mouse.x()) - 7.0) < 1e-6);
    QVERIFY(view_->scrollX() > 0);
    QCOMPARE(panel_->scrollBar()->value(), static_cast<int>(view_->scrollX()));
    // The plain wheel scrolls in time; so does the scroll bar.
    const double scrolled = view_->scrollX();
    QWheelEvent scroll(mouse, view_->mapToGlobal(mouse), {}, QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                       Qt::NoScrollPhase, false);
    QApplication::sendEvent(view_, &scroll);
    QCOMPARE(view_->scrollX(), scrolled + 120);
    panel_->scrollBar()->setValue(0);
    QCOMPARE(view_->scrollX(), 0.0);
    view_->zoomToFit();
    QVERIFY(view_->geometry().xOf(17.0) <= view_->width());
    QCOMPARE(undo_->count(), 0);
  }

  void keyframesAreAddedAtThePlayheadDraggedAndDeleted() {
    QSignalSpy notices(panel_, &TimelinePanel::notice);
    model_->setPlayhead(6.5);  // harbour starts at 5 s, 16 fps: frame 24
    QTest::mouseClick(view_, Qt::LeftButton, {}, at(5.5, 0));
    QCOMPARE(model_->currentShot(), row("harbour"));
    QTest::keyClick(view_, Qt::Key_K);
    const int harbour = row("harbour");
    QCOMPARE(shot("harbour").keyframes.size(), 2u);
    QCOMPARE(shot("harbour").keyframes[1].frame, 24);
    // It starts with the prompt in effect there: the keyframe at 16's.
    QCOMPARE(shot("harbour").keyframes[1].prompt, std::string("boats leave the harbour"));
    QCOMPARE(model_->currentKeyframe(), 1);  // and is selected
    QCOMPARE(undo_->undoText(), QStringLiteral("Add keyframe to harbour at frame 24"));
    CHECK_CONSISTENT();
    QTest::keyClick(view_, Qt::Key_K);  // one keyframe per frame
    QCOMPARE(shot("harbour").keyframes.size(), 2u);
    QCOMPARE(notices.count(), 1);
    QVERIFY(notices.last().first().toString().contains(QLatin1String("already has a keyframe at frame 24")));

    // Dragged 1.5 s right: frame 24 + 24.
    const QPoint diamond = view_->keyframePoint(harbour, 1).toPoint();
    drag(diamond, diamond + QPoint(60, 0));
    QCOMPARE(shot("harbour").keyframes[1].frame, 48 - 1);  // clamped: the shot's last frame is 47
    QCOMPARE(model_->currentKeyframe(), 1);
    CHECK_CONSISTENT();
    // Not past its neighbour: dragged far left it stops one frame after frame 16.
    drag(view_->keyframePoint(harbour, 1).toPoint(), view_->keyframePoint(harbour, 0).toPoint() - QPoint(30, 0));
    QCOMPARE(shot("harbour").keyframes[1].frame, 17);
    CHECK_CONSISTENT();

    QTest::keyClick(view_, Qt::Key_Delete);
    QCOMPARE(shot("harbour").keyframes.size(), 1u);
    QCOMPARE(model_->currentShot(), harbour);  // the shot stays selected
    QCOMPARE(model_->currentKeyframe(), -1);
    CHECK_CONSISTENT();

    for (int frame : {17, 47, 24}) {  // each step back, in order
      undo_->undo();
      QCOMPARE(shot("harbour").keyframes.size(), 2u);
      QCOMPARE(shot("harbour").keyframes[1].frame, frame);
      CHECK_CONSISTENT();
    }
    undo_->undo();
    QCOMPARE(shot("harbour").keyframes.size(), 1u);
    CHECK_CONSISTENT();
    for (int i = 0; i < 4; ++i) undo_->redo();
    QCOMPARE(shot("harbour").keyframes.size(), 1u);
    QCOMPARE(shot("harbour").keyframes[0].frame, 16);
    CHECK_CONSISTENT();

    // An image shot has no keyframes; neither has frame 0 of a video shot.
    model_->selectShot(row("opening"));
    QVERIFY(!model_->addKeyframeAtPlayhead().ok());
    model_->selectShot(row("night"));
    model_->setPlayhead(13.0);
    const Status at_zero = model_->addKeyframeAtPlayhead();
    QVERIFY(!at_zero.ok());
    QVERIFY(at_zero.error().message().find("frames 1 to 31") != std::string::npos);
    // Double-clicking a video clip's keyframe band adds one there.
    const QRectF band = view_->geometry().keyframeLaneRect(shot("night"));
    QTest::mouseDClick(view_, Qt::LeftButton, {}, QPointF(view_->geometry().xOf(15.0), band.center().y()).toPoint());
    QCOMPARE(shot("night").keyframes.size(), 1u);
    QCOMPARE(shot("night").keyframes[0].frame, 16);
    CHECK_CONSISTENT();
  }

  void arrowKeysNudgeTheSelectionAndDeleteRemovesAShot() {
    QTest::mouseClick(view_, Qt::LeftButton, {}, at(10, 0));  // gulls: last on track 0, free to its right
    for (int i = 0; i < 3; ++i) QTest::keyClick(view_, Qt::Key_Right);
    QVERIFY(std::abs(shot("gulls").timeline.start - 8.3) < 1e-9);
    QCOMPARE(undo_->count(), 1);  // consecutive nudges are one step
    QTest::keyClick(view_, Qt::Key_Left, Qt::ShiftModifier);  // 1 s left, but harbour ends at 8
    QCOMPARE(shot("gulls").timeline.start, 8.0);
    QCOMPARE(undo_->count(), 0);  // back where it started: the merged step went away
    QTest::keyClick(view_, Qt::Key_Right, Qt::ShiftModifier);
    QCOMPARE(shot("gulls").timeline.start, 9.0);
    undo_->undo();
    QCOMPARE(shot("gulls").timeline.start, 8.0);
    CHECK_CONSISTENT();

    QTest::mouseClick(view_, Qt::LeftButton, {}, view_->keyframePoint(row("harbour"), 0).toPoint());
    QTest::keyClick(view_, Qt::Key_Right);
    QTest::keyClick(view_, Qt::Key_Right, Qt::ShiftModifier);
    QCOMPARE(shot("harbour").keyframes[0].frame, 27);
    undo_->undo();
    QCOMPARE(shot("harbour").keyframes[0].frame, 16);
    CHECK_CONSISTENT();

    QTest::mouseClick(view_, Qt::LeftButton, {}, at(2, 0));
    QTest::keyClick(view_, Qt::Key_Delete);
    QCOMPARE(order(), (QStringList{"harbour", "gulls", "night"}));
    QCOMPARE(model_->currentShot(), -1);  // nothing else gets selected (and loaded)
    CHECK_CONSISTENT();
    undo_->undo();
    QCOMPARE(order().first(), QStringLiteral("opening"));
    CHECK_CONSISTENT();
  }

  void editsMatchTheirRules() {
    const auto shots = test::timeline_project(QStringLiteral("m")).shots;
    // Landing in the second half of a shot puts the moved one right after it.
    auto moved = timeline::move_shot(shots, 0, 6.8, 0);  // opening into harbour (5 .. 8), second half
    QCOMPARE(moved[0].id, std::string("harbour"));
    QCOMPARE(moved[0].timeline.start, 0.0 + 5.0);  // harbour stays
    QCOMPARE(moved[1].id, std::string("opening"));
    QCOMPARE(moved[1].timeline.start, 8.0);
    QCOMPARE(moved[2].id, std::string("gulls"));
    QCOMPARE(moved[2].timeline.start, 13.0);  // pushed by exactly the overlap
    // Into a gap that fits: nothing else moves.
    moved = timeline::move_shot(shots, 2, 20.0, 0);
    QCOMPARE(moved.back().timeline.start, 20.0);
    QCOMPARE(moved[1].timeline.start, 5.0);
    // Negative times clamp at 0, tracks at 0.
    moved = timeline::move_shot(shots, 3, -4.0, -1);
    QCOMPARE(moved[0].id, std::string("night"));
    QCOMPARE(moved[0].timeline.track, 0);
    QCOMPARE(moved[0].timeline.start, 0.0);
    // Trims round to whole frames and never go below one.
    auto trimmed = timeline::trim_shot(shots, 1, 1.0 / 33);
    QCOMPARE(trimmed[1].frames, 1);
    QCOMPARE(trimmed[1].timeline.duration, 1.0 / 16);
    trimmed = timeline::trim_shot(shots, 1, 2.04);
    QCOMPARE(trimmed[1].frames, 33);
    QCOMPARE(timeline::trim_shot(shots, 0, 9.0), shots);  // an image shot: unchanged
    // A nudge with no room changes nothing.
    QCOMPARE(timeline::nudge_shot(shots, 1, 0.5), shots);
  }

  void thumbnailsComeFromTheProjectsRenders() {
    QVERIFY(model_->thumbnail(row("opening"), 40).isNull());
    QVERIFY(QDir(timeline_->dir.path()).mkpath(QStringLiteral("renders")));
    QImage render(64, 32, QImage::Format_RGB32);
    render.fill(Qt::darkCyan);
    QVERIFY(render.save(timeline_->dir.filePath(QStringLiteral("renders/opening.png"))));
    const QImage thumb = model_->thumbnail(row("opening"), 40);
    QCOMPARE(thumb.size(), QSize(80, 40));
    QCOMPARE(QColor(thumb.pixel(10, 10)), QColor(Qt::darkCyan));
    QVERIFY(model_->thumbnail(row("gulls"), 40).isNull());
  }
};

DC_UI_TEST(TimelineTest);

}  // namespace dc::ui

#include "timeline_test.moc"
