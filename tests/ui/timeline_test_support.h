// The project the timeline tests edit, and the invariants every timeline edit
// keeps (checked after each step and each undo/redo, Kdenlive's checkConsistency).
#pragma once

#include <QString>
#include <QTemporaryDir>
#include <QUndoStack>
#include <memory>

#include "core/project/project.h"
#include "ui/project/project_document.h"
#include "ui/timeline/timeline_model.h"
#include "ui/timeline/timeline_panel.h"

namespace dc::test {

// Four shots on two tracks, back to back on track 0:
//   0 "opening"  image  0 .. 5 s   track 0
//   1 "harbour"  video  5 .. 8 s   track 0   48 frames at 16 fps, keyframe at frame 16 ("boats leave")
//   2 "gulls"    image  8 .. 13 s  track 0
//   3 "night"    video 13 .. 17 s  track 1   32 frames at 8 fps
// `model_folder`: the tiny pipeline, so the app can render the shots.
project::Project timeline_project(const QString& model_folder);

// timeline_project (on the tiny pipeline) saved in a fresh folder and opened as the
// timeline tests start from: a document, its undo stack and a TimelineModel over them;
// with `with_panel`, a TimelinePanel 1000x330, shown (its view at 40 pixels a second).
// Members go in reverse order: the panel first, the folder last.
struct OpenTimeline {
  QTemporaryDir dir;
  ui::ProjectDocument doc;
  QUndoStack undo;
  std::unique_ptr<ui::TimelineModel> model;
  std::unique_ptr<ui::TimelinePanel> panel;
  QString projectFile() const { return dir.filePath(QStringLiteral("harbour.dcproj")); }
};
// nullptr (with a warning) when the project cannot be written or opened.
std::unique_ptr<OpenTimeline> open_timeline(bool with_panel);

// Empty when every rule holds, otherwise what broke: the model's rows and
// keyframe rows match the document, no two shots of a track overlap, the shot
// order is the timeline order, video shots last whole frames, keyframes lie on
// frames 1 ... frames - 1 in increasing order, and the project would save.
QString timeline_inconsistency(const ui::TimelineModel& model);

}  // namespace dc::test
