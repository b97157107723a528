// What the timeline's gestures do to a project's shots, as plain functions from
// the shot list before to the shot list after (no Qt): the timeline model turns
// each result into one undoable EditShotsCommand, and the view paints the same
// result live while a drag is under way.
//
// Rules every edit keeps: shots on one track never overlap (a shot dropped or
// lengthened into others pushes the later ones right, as far as needed and no
// further); the project's shot order is the timeline's order (by start, then
// track), so moving a shot before another reorders the project; a video shot's
// length is whole frames (duration = frames / fps) and its prompt keyframes lie
// on frames 1 ... frames - 1 in increasing order. Image shots have a fixed
// display length and are not trimmed.
//
//   Shots after = timeline::move_shot(doc.project().shots, 2, /*start=*/0.0, /*track=*/0);  // shot 2 goes first
#pragma once

#include <vector>

#include "core/base/result.h"
#include "core/project/project.h"

namespace dc::ui::timeline {

using Shots = std::vector<project::Shot>;

inline constexpr int kMaxTrack = 1000;       // the schema's bound
inline constexpr int kMaxFrames = 100000;    // the schema's bound

double shot_end(const project::Shot& shot);  // start + duration, seconds
bool is_trimmable(const project::Shot& shot);  // a video shot with a frame rate
// The frame of a video shot shown at timeline time `seconds` (rounded; not clamped).
int frame_at(const project::Shot& shot, double seconds);
double frame_time(const project::Shot& shot, int frame);  // timeline seconds of a frame of a video shot

// Drops shot `index` at `start` (clamped at 0) on `track`. Landing inside another
// shot of that track it goes before that shot (first half) or right after it
// (second half); later shots of the track move right as needed.
Shots move_shot(const Shots& shots, int index, double start, int track);
// Adds `shot` (a new id) as if dropped at `start` on `track`: placed by move_shot's
// rules, so landing inside a shot puts it before or after that one and pushes the
// rest of the track right.
Shots insert_shot(const Shots& shots, project::Shot shot, double start, int track);
// Video shots: the duration rounded to whole frames (at least one); keyframes past
// the new last frame are dropped, later shots of the track pushed right when it grows.
Shots trim_shot(const Shots& shots, int index, double duration);
// Shifts a shot by `delta` seconds within the gap around it on its track (it stops
// at its neighbours and at 0); a fine adjustment that never reorders its track.
Shots nudge_shot(const Shots& shots, int index, double delta);

// A keyframe at `frame` (1 ... frames - 1, free) of video shot `index`, starting
// with the prompt in effect there. kInvalidArgument saying why not otherwise.
Result<Shots> add_keyframe(const Shots& shots, int index, int frame);
// Keyframe `k` to `frame`, clamped between its neighbours and inside the shot.
Shots move_keyframe(const Shots& shots, int index, int k, int frame);
Shots remove_keyframe(const Shots& shots, int index, int k);
// Index of the keyframe at `frame` in `shot`, or -1.
int keyframe_index(const project::Shot& shot, int frame);

// The shot seen at `seconds` (start <= seconds < end), or -1 in a gap. Where shots
// overlap the lowest track wins: Track 1, the top row, is in front, as the top
// layer is in a layer stack.
int shot_at(const Shots& shots, double seconds);

}  // namespace dc::ui::timeline
