#include "tests/ui/timeline_test_support.h"

#include <QTest>
#include <cmath>
#include <map>

#include "core/project/project_file.h"
#include "tests/ui/ui_test_support.h"
#include "ui/timeline/timeline_edits.h"
#include "ui/timeline/timeline_model.h"

namespace dc::test {

project::Project timeline_project(const QString& model_folder) {
  using namespace project;
  Project p;
  p.name = "Harbour";
  p.models = {{"tiny", model_folder.toStdString(), ""}};
  auto shot = [](const char* id, ShotType type, const char* prompt, uint64_t seed, double start, double duration,
                 int track) {
    Shot s;
    s.id = id;
    s.type = type;
    s.model = "tiny";
    s.prompt = prompt;
    s.seed = seed;
    s.steps = 2;
    s.width = 64;
    s.height = 64;
    s.timeline = {track, start, duration};
    return s;
  };
  Shot opening = shot("opening", ShotType::kImage, "a lighthouse at dawn, oil painting", 11, 0, 5, 0);
  Shot harbour = shot("harbour", ShotType::kVideo, "slow pan over the harbour", 12, 5, 3, 0);
  harbour.frames = 48;
  harbour.fps = 16;
  harbour.keyframes = {{16, "boats leave the harbour"}};
  Shot gulls = shot("gulls", ShotType::kImage, "gulls over the breakwater", 13, 8, 5, 0);
  gulls.guidance = 5.0;
  Shot night = shot("night", ShotType::kVideo, "the lighthouse beam at night", 14, 13, 4, 1);
  night.frames = 32;
  night.fps = 8;
  p.shots = {opening, harbour, gulls, night};
  return p;
}

std::unique_ptr<OpenTimeline> open_timeline(bool with_panel) {
  auto t = std::make_unique<OpenTimeline>();
  const Status saved = project::save_project_atomic(timeline_project(tiny_pipeline()), t->projectFile().toStdString());
  const Status opened = saved ? t->doc.open(t->projectFile()) : saved;
  if (!opened) {
    qWarning("the timeline project did not open: %s", opened.error().to_string().c_str());
    return nullptr;
  }
  t->model = std::make_unique<ui::TimelineModel>(&t->doc, &t->undo);
  if (with_panel) {
    t->panel = std::make_unique<ui::TimelinePanel>(t->model.get());
    t->panel->resize(1000, 330);
    t->panel->show();
    if (!QTest::qWaitForWindowExposed(t->panel.get())) qWarning("the timeline panel was not exposed");
  }
  return t;
}

QString timeline_inconsistency(const ui::TimelineModel& model) {
  const auto& shots = model.shots();
  if (model.rowCount() != static_cast<int>(shots.size()))
    return QStringLiteral("model rows %1, shots %2").arg(model.rowCount()).arg(shots.size());
  std::map<int, std::vector<const project::Shot*>> tracks;
  for (int r = 0; r < static_cast<int>(shots.size()); ++r) {
    const project::Shot& s = shots[r];
    const QString id = QString::fromStdString(s.id);
    const QModelIndex index = model.shotIndex(r);
    if (model.data(index, ui::TimelineModel::kIdRole).toString() != id) return id + QStringLiteral(": wrong row");
    if (model.rowCount(index) != static_cast<int>(s.keyframes.size()))
      return id + QStringLiteral(": %1 keyframe rows for %2 keyframes").arg(model.rowCount(index)).arg(s.keyframes.size());
    for (int k = 0; k < static_cast<int>(s.keyframes.size()); ++k) {
      const QModelIndex key = model.keyframeIndex(r, k);
      if (key.parent() != index || model.data(key, ui::TimelineModel::kFrameRole).toInt() != s.keyframes[k].frame)
        return id + QStringLiteral(": keyframe row %1 does not match").arg(k);
      if (s.keyframes[k].frame < 1 || s.keyframes[k].frame >= s.frames ||
          (k > 0 && s.keyframes[k].frame <= s.keyframes[k - 1].frame))
        return id + QStringLiteral(": keyframe %1 at frame %2 is out of place").arg(k).arg(s.keyframes[k].frame);
    }
    if (s.type == project::ShotType::kVideo && std::abs(s.timeline.duration - s.frames / s.fps) > 1e-9)
      return id + QStringLiteral(": lasts %1 s, not %2 frames").arg(s.timeline.duration).arg(s.frames);
    if (r > 0) {
      const auto& prev = shots[r - 1].timeline;
      if (prev.start > s.timeline.start || (prev.start == s.timeline.start && prev.track > s.timeline.track))
        return id + QStringLiteral(": out of timeline order");
    }
    tracks[s.timeline.track].push_back(&s);
  }
  for (auto& [track, on_track] : tracks) {
    std::sort(on_track.begin(), on_track.end(),
              [](const auto* a, const auto* b) { return a->timeline.start < b->timeline.start; });
    for (size_t i = 1; i < on_track.size(); ++i)
      if (ui::timeline::shot_end(*on_track[i - 1]) > on_track[i]->timeline.start + 1e-9)
        return QStringLiteral("%1 and %2 overlap on track %3")
            .arg(QString::fromStdString(on_track[i - 1]->id), QString::fromStdString(on_track[i]->id))
            .arg(track);
  }
  project::Project p;
  p.models = {{"tiny", "m", ""}};
  p.shots = shots;
  for (auto& s : p.shots) s.model = "tiny";
  if (const Result<std::string> saved = project::serialize_project(p); !saved)
    return QString::fromStdString(saved.error().message());
  return {};
}

}  // namespace dc::test
