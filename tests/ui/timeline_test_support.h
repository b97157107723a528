// The project the timeline tests edit, and the invariants every timeline edit
// keeps (checked after each step and each undo/redo, Kdenlive's checkConsistency).
#pragma once

#include <QString>

#include "core/project/project.h"

namespace dc::ui {
class TimelineModel;
}

namespace dc::test {

// Four shots on two tracks, back to back on track 0:
//   0 "opening"  image  0 .. 5 s   track 0
//   1 "harbour"  video  5 .. 8 s   track 0   48 frames at 16 fps, keyframe at frame 16 ("boats leave")
//   2 "gulls"    image  8 .. 13 s  track 0
//   3 "night"    video 13 .. 17 s  track 1   32 frames at 8 fps
// `model_folder`: the tiny pipeline, so the app can render the shots.
project::Project timeline_project(const QString& model_folder);

// Empty when every rule holds, otherwise what broke: the model's rows and
// keyframe rows match the document, no two shots of a track overlap, the shot
// order is the timeline order, video shots last whole frames, keyframes lie on
// frames 1 ... frames - 1 in increasing order, and the project would save.
QString timeline_inconsistency(const ui::TimelineModel& model);

}  // namespace dc::test
