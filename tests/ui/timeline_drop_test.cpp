// A gallery image dragged onto the timeline becomes a shot: the gallery's items
// drag out as their parameters (the app's own MIME type), and a drop on the
// timeline view adds an image shot with those parameters at the drop position
// (inside another shot: before or after it, the track pushed right), as one undo
// step, also into a never-saved project; a hovering drag paints the result live;
// data from elsewhere is refused. Drops are simulated by sending the view the
// drop event a drag would deliver, with the MIME data the gallery model makes.
#include <QDragEnterEvent>
#include <QDragLeaveEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>
#include <QUrl>
#include <memory>

#include "tests/ui/timeline_test_support.h"
#include "tests/ui/ui_test_registry.h"
#include "tests/ui/ui_test_support.h"
#include "ui/common/generation_params_mime.h"
#include "ui/common/widget_helpers.h"
#include "ui/gallery/gallery_model.h"
#include "ui/gallery/gallery_view.h"
#include "ui/project/project_document.h"
#include "ui/timeline/timeline_model.h"
#include "ui/timeline/timeline_panel.h"
#include "ui/timeline/timeline_view.h"

#define CHECK_CONSISTENT()                                         \
  do {                                                             \
    const QString broken = test::timeline_inconsistency(*model_);  \
    QVERIFY2(broken.isEmpty(), qPrintable(broken));                \
  } while (0)

namespace dc::ui {

class TimelineDropTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<test::OpenTimeline> timeline_;
  ProjectDocument* doc_ = nullptr;  // timeline_'s parts
  QUndoStack* undo_ = nullptr;
  TimelineModel* model_ = nullptr;
  TimelinePanel* panel_ = nullptr;
  std::unique_ptr<GalleryModel> gallery_;
  TimelineView* view_ = nullptr;

  static QString lora(const char* name) { return QStringLiteral(DC_TEST_DATA_DIR "/") + QLatin1String(name); }

  // What a gallery item remembers: every field differs from GenerationParams' defaults.
  static GenerationParams galleryParams(const QString& model_folder) {
    GenerationParams p;
    p.model_folder = model_folder;
    p.prompt = QStringLiteral("a lighthouse at dusk");
    p.negative_prompt = QStringLiteral("blurry");
    p.true_cfg_scale = 2.5;
    p.guidance = 4.25;
    p.steps = 7;
    p.width = 320;
    p.height = 192;
    p.batch = 2;
    p.seed = 9876543210ULL;
    p.loras = {{lora("style.safetensors"), 0.8, true}, {lora("off.safetensors"), 1.5, false}};
    return p;
  }
  // The MIME data a drag of gallery row `row` carries (made by the gallery's own model).
  std::unique_ptr<QMimeData> galleryDrag(const GenerationParams& params) {
    gallery_->add({timeline_->dir.filePath(QStringLiteral("made.png")), params, QDateTime::currentDateTime(), {}},
                  QImage(8, 8, QImage::Format_RGB32));
    return std::unique_ptr<QMimeData>(gallery_->mimeData({gallery_->index(0)}));
  }
  const project::Shot& shot(const char* id) const {
    const project::Shot* s = doc_->project().find_shot(id);
    if (!s) qFatal("no shot %s", id);
    return *s;
  }
  QStringList order() const {
    QStringList ids;
    for (const project::Shot& s : doc_->project().shots) ids << QString::fromStdString(s.id);
    return ids;
  }
  QPoint at(double seconds, int track) const {
    const TimelineGeometry& g = view_->geometry();
    return QPointF(g.xOf(seconds), g.laneTop(track) + TimelineGeometry::kTrackHeight / 2.0).toPoint();
  }
  // A drag entering the view, moving to `to` and released there, as Qt delivers
  // it (no drop without an accepted enter); whether the view took the drop.
  bool drop(const QMimeData* mime, QPoint to) {
    if (!dragEnter(mime, to) || !dragMove(mime, to)) return false;
    QDropEvent event(QPointF(to), Qt::CopyAction | Qt::MoveAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view_, &event);
    return event.isAccepted();
  }
  bool dragEnter(const QMimeData* mime, QPoint to) {
    QDragEnterEvent event(to, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view_, &event);
    return event.isAccepted();
  }
  bool dragMove(const QMimeData* mime, QPoint to) {
    QDragMoveEvent event(to, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view_, &event);
    return event.isAccepted();
  }
  // Redo and undo the last step twice, checking the project both ways each time.
  void checkUndoRedo(const project::Project& before, const project::Project& after) {
    for (int round = 0; round < 2; ++round) {
      undo_->undo();
      QVERIFY(doc_->project() == before);
      CHECK_CONSISTENT();
      undo_->redo();
      QVERIFY(doc_->project() == after);
      CHECK_CONSISTENT();
    }
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
    gallery_ = std::make_unique<GalleryModel>();
    QCOMPARE(view_->pixelsPerSecond(), 40.0);  // snapping reaches 0.2 s: drops below stay clear of it
    QVERIFY(view_->acceptDrops());
  }

  void cleanup() {
    timeline_.reset();
    gallery_.reset();
  }

  void galleryItemsDragTheirParameters() {
    const GenerationParams p = galleryParams(test::tiny_pipeline());
    std::unique_ptr<QMimeData> mime = galleryDrag(p);
    QVERIFY(mime);
    QCOMPARE(mime->formats(), QStringList{QString::fromLatin1(kGenerationParamsMimeType)});
    QCOMPARE(gallery_->mimeTypes(), mime->formats());
    QVERIFY(gallery_->flags(gallery_->index(0)) & Qt::ItemIsDragEnabled);
    QString why;
    const std::optional<GenerationParams> back = params_from_mime(mime.get(), &why);
    QVERIFY2(back, qPrintable(why));
    QVERIFY(*back == p);
    QVERIFY(!gallery_->mimeData({}));  // nothing to drag
    GalleryView view(gallery_.get());
    QVERIFY(view.dragEnabled());  // setMovement(Static) turns it off: the view turns it back on
    QCOMPARE(view.dragDropMode(), QAbstractItemView::DragOnly);
  }

  void dropAfterTheLastShotAddsAShotWithTheImagesParameters() {
    const project::Project before = doc_->project();
    const GenerationParams p = galleryParams(test::tiny_pipeline());
    std::unique_ptr<QMimeData> mime = galleryDrag(p);
    QVERIFY(drop(mime.get(), at(20, 0)));
    QCOMPARE(undo_->count(), 1);
    QCOMPARE(order(), (QStringList{"opening", "harbour", "gulls", "night", "shot-005"}));
    const project::Shot& s = shot("shot-005");
    QCOMPARE(s.type, project::ShotType::kImage);
    QCOMPARE(s.model, std::string("tiny"));  // the project's model for that folder, no new one
    QCOMPARE(doc_->project().models.size(), before.models.size());
    QCOMPARE(s.prompt, std::string("a lighthouse at dusk"));
    QCOMPARE(s.negative_prompt, std::string("blurry"));
    QCOMPARE(s.seed, uint64_t{9876543210ULL});
    QCOMPARE(s.steps, 7);
    QCOMPARE(s.guidance, 4.25);
    QCOMPARE(s.true_cfg_scale, 2.5);
    QCOMPARE(s.width, 320);
    QCOMPARE(s.height, 192);
    // Only the enabled LoRA takes part; outside the project folder it is stored absolute.
    QCOMPARE(s.loras.size(), size_t{1});
    QCOMPARE(QString::fromStdString(s.loras[0].path), canonical_path(lora("style.safetensors")));
    QCOMPARE(s.loras[0].strength, 0.8);
    QCOMPARE(s.timeline.track, 0);
    QCOMPARE(s.timeline.start, view_->geometry().timeAt(at(20, 0).x()));
    QCOMPARE(s.timeline.duration, kImageShotSeconds);
    QCOMPARE(model_->currentShot(), 4);  // selected, as "Add shot" selects its shot
    QVERIFY(doc_->isDirty());
    CHECK_CONSISTENT();
    // The same shot the Project panel's "Add shot" makes from these parameters, but for its place.
    project::Shot expected = shot_from_params(before, p, doc_->filePath()).shot;
    expected.timeline = s.timeline;
    QVERIFY(s == expected);
    checkUndoRedo(before, doc_->project());
  }

  void dropInsideAShotGoesBeforeItAndPushesTheTrack() {
    const project::Project before = doc_->project();
    std::unique_ptr<QMimeData> mime = galleryDrag(galleryParams(test::tiny_pipeline()));
    // 5.5 s: inside the first half of "harbour" (5 .. 8 s), so the new shot takes its place.
    QVERIFY(drop(mime.get(), at(5.5, 0)));
    QCOMPARE(undo_->count(), 1);  // the shot and the shots it moved: one step
    QCOMPARE(order(), (QStringList{"opening", "shot-005", "harbour", "gulls", "night"}));
    QCOMPARE(shot("shot-005").timeline.start, 5.0);
    QCOMPARE(shot("harbour").timeline.start, 10.0);
    QCOMPARE(shot("gulls").timeline.start, 13.0);
    QCOMPARE(shot("night").timeline.start, 13.0);  // another track: not pushed
    QCOMPARE(shot("opening").timeline.start, 0.0);
    CHECK_CONSISTENT();
    checkUndoRedo(before, doc_->project());

    // Undone, then dropped at 7.2 s: the second half of "harbour" (5 .. 8 s), so it goes right after it.
    undo_->undo();
    std::unique_ptr<QMimeData> again = galleryDrag(galleryParams(test::tiny_pipeline()));
    QVERIFY(drop(again.get(), at(7.2, 0)));
    QCOMPARE(order(), (QStringList{"opening", "harbour", "shot-005", "gulls", "night"}));
    QCOMPARE(shot("shot-005").timeline.start, 8.0);
    QCOMPARE(shot("gulls").timeline.start, 13.0);
    CHECK_CONSISTENT();
    QCOMPARE(undo_->count(), 1);  // the undone step was replaced
    checkUndoRedo(before, doc_->project());
  }

  void dropOnANewTrackWithANewModelIsOneStep() {
    const project::Project before = doc_->project();
    const QString other_model = QStringLiteral(DC_TEST_DATA_DIR "/demo_model");
    std::unique_ptr<QMimeData> mime = galleryDrag(galleryParams(other_model));
    QCOMPARE(model_->trackCount(), 2);
    QVERIFY(drop(mime.get(), at(2.5, 2)));  // the free lane under the last track
    const project::Shot& s = shot("shot-005");
    QCOMPARE(s.timeline.track, 2);
    QCOMPARE(s.timeline.start, 2.5);
    QCOMPARE(doc_->project().models.size(), before.models.size() + 1);
    const project::ModelRef* m = doc_->project().find_model(s.model);
    QVERIFY(m);
    QCOMPARE(QString::fromStdString(m->folder), canonical_path(other_model));
    QCOMPARE(undo_->count(), 1);
    CHECK_CONSISTENT();
    checkUndoRedo(before, doc_->project());  // undo takes the model out too
  }

  void dropIntoANeverSavedProject() {
    // What the app has with no project open: the untitled document the Project panel's "Add shot" fills.
    doc_->reset();
    undo_->clear();
    QVERIFY(doc_->filePath().isEmpty());
    QCOMPARE(doc_->displayName(), QStringLiteral("Untitled"));
    const project::Project before = doc_->project();
    const GenerationParams p = galleryParams(test::tiny_pipeline());
    std::unique_ptr<QMimeData> mime = galleryDrag(p);
    QVERIFY(drop(mime.get(), at(1.5, 0)));
    QCOMPARE(order(), QStringList{"shot-001"});
    const project::Shot& s = shot("shot-001");
    QCOMPARE(s.timeline.start, 1.5);
    QCOMPARE(doc_->project().models.size(), size_t{1});
    QCOMPARE(QString::fromStdString(doc_->project().models[0].folder), canonical_path(test::tiny_pipeline()));
    QCOMPARE(s.prompt, std::string("a lighthouse at dusk"));
    QVERIFY(doc_->isDirty());
    QVERIFY(doc_->filePath().isEmpty());
    CHECK_CONSISTENT();
    checkUndoRedo(before, doc_->project());
  }

  void hoveringPaintsTheDropLiveAndChangesNothing() {
    std::unique_ptr<QMimeData> mime = galleryDrag(galleryParams(test::tiny_pipeline()));
    const project::Project before = doc_->project();
    const QImage idle = view_->grab().toImage();
    QVERIFY(dragEnter(mime.get(), at(5.5, 0)));
    QVERIFY(dragMove(mime.get(), at(5.5, 0)));
    const QImage hovering = view_->grab().toImage();
    test::save_screenshot(panel_, QStringLiteral("timeline_gallery_drop"));
    QVERIFY(hovering != idle);  // the new clip and the pushed shots are drawn
    QVERIFY(dragMove(mime.get(), at(20, 1)));
    QVERIFY(view_->grab().toImage() != hovering);  // it follows the mouse
    QVERIFY(doc_->project() == before);
    QCOMPARE(undo_->count(), 0);
    QDragLeaveEvent leave;
    QCoreApplication::sendEvent(view_, &leave);
    QVERIFY(view_->grab().toImage() == idle);
  }

  void foreignDataIsRefused() {
    const project::Project before = doc_->project();
    QSignalSpy notices(view_, &TimelineView::notice);
    QMimeData text;
    text.setText(QStringLiteral("a lighthouse at dusk"));
    QMimeData files;
    files.setUrls({QUrl::fromLocalFile(timeline_->dir.filePath(QStringLiteral("made.png")))});
    QMimeData json;  // parameters JSON, but not under our type
    json.setData(QStringLiteral("application/json"),
                 galleryDrag(galleryParams(test::tiny_pipeline()))->data(QString::fromLatin1(kGenerationParamsMimeType)));
    for (const QMimeData* foreign : {&text, &files, &json}) {
      QVERIFY(!dragEnter(foreign, at(20, 0)));
      QVERIFY(!dragMove(foreign, at(20, 0)));
      QVERIFY(!drop(foreign, at(20, 0)));
    }
    QCOMPARE(notices.count(), 0);  // not ours: nothing to explain
    // Ours but broken, or naming no model: refused, saying why.
    QMimeData broken;
    broken.setData(QString::fromLatin1(kGenerationParamsMimeType), "{\"prompt\": 3");
    QVERIFY(!drop(&broken, at(20, 0)));
    QCOMPARE(notices.count(), 1);
    std::unique_ptr<QMimeData> no_model = galleryDrag(galleryParams(QString()));
    QVERIFY(!drop(no_model.get(), at(20, 0)));
    QCOMPARE(notices.count(), 2);
    QVERIFY(notices.last().at(0).toString().contains(QLatin1String("model")));
    QVERIFY(doc_->project() == before);
    QCOMPARE(undo_->count(), 0);
    CHECK_CONSISTENT();
  }
};

DC_UI_TEST(TimelineDropTest);

}  // namespace dc::ui

#include "timeline_drop_test.moc"
