#include "ui/timeline/timeline_edits.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace dc::ui::timeline {
namespace {

using project::Shot;

// Times are sums of user-dragged doubles: compare with a tolerance far below a frame.
constexpr double kEpsilon = 1e-9;

// The project order is the timeline order: by start, then track; equal keys keep their order.
void sort_by_time(Shots& shots) {
  std::stable_sort(shots.begin(), shots.end(), [](const Shot& a, const Shot& b) {
    if (a.timeline.start != b.timeline.start) return a.timeline.start < b.timeline.start;
    return a.timeline.track < b.timeline.track;
  });
}

// Moves the shots of `anchor`'s track that start at or after it right until none
// overlaps the one before it (a gap between them is kept).
void push_following(Shots& shots, size_t anchor) {
  const Shot& a = shots[anchor];
  std::vector<Shot*> later;
  for (size_t i = 0; i < shots.size(); ++i) {
    const Shot& s = shots[i];
    if (i != anchor && s.timeline.track == a.timeline.track && s.timeline.start >= a.timeline.start - kEpsilon)
      later.push_back(&shots[i]);
  }
  std::stable_sort(later.begin(), later.end(),
                   [](const Shot* x, const Shot* y) { return x->timeline.start < y->timeline.start; });
  double cursor = shot_end(a);
  for (Shot* s : later) {
    if (s->timeline.start < cursor - kEpsilon) s->timeline.start = cursor;
    cursor = std::max(cursor, shot_end(*s));
  }
}

bool valid_index(const Shots& shots, int index) { return index >= 0 && index < static_cast<int>(shots.size()); }

}  // namespace

double shot_end(const Shot& shot) { return shot.timeline.start + shot.timeline.duration; }

bool is_trimmable(const Shot& shot) { return shot.type == project::ShotType::kVideo && shot.fps > 0; }

int frame_at(const Shot& shot, double seconds) {
  return static_cast<int>(std::lround((seconds - shot.timeline.start) * shot.fps));
}

double frame_time(const Shot& shot, int frame) { return shot.timeline.start + frame / shot.fps; }

Shots move_shot(const Shots& shots, int index, double start, int track) {
  if (!valid_index(shots, index)) return shots;
  Shots out = shots;
  Shot moved = out[index];
  out.erase(out.begin() + index);
  start = std::max(0.0, start);
  track = std::clamp(track, 0, kMaxTrack);
  for (const Shot& s : out) {
    if (s.timeline.track != track) continue;
    if (s.timeline.start < start - kEpsilon && start < shot_end(s) - kEpsilon) {
      start = start < s.timeline.start + s.timeline.duration / 2 ? s.timeline.start : shot_end(s);
      break;
    }
  }
  moved.timeline.start = start;
  moved.timeline.track = track;
  // Ahead of any shot of the track starting at the same time: that one is pushed after it.
  const auto at = std::find_if(out.begin(), out.end(), [&](const Shot& s) {
    return s.timeline.start > start || (s.timeline.start == start && s.timeline.track >= track);
  });
  const size_t position = static_cast<size_t>(at - out.begin());
  out.insert(at, std::move(moved));
  push_following(out, position);
  sort_by_time(out);
  return out;
}

Shots insert_shot(const Shots& shots, project::Shot shot, double start, int track) {
  Shots with = shots;
  with.push_back(std::move(shot));
  return move_shot(with, static_cast<int>(with.size()) - 1, start, track);
}

Shots trim_shot(const Shots& shots, int index, double duration) {
  if (!valid_index(shots, index) || !is_trimmable(shots[index])) return shots;
  Shots out = shots;
  Shot& s = out[index];
  s.frames = static_cast<int>(std::clamp<double>(std::round(duration * s.fps), 1, kMaxFrames));
  s.timeline.duration = s.frames / s.fps;
  std::erase_if(s.keyframes, [&](const project::PromptKeyframe& k) { return k.frame >= s.frames; });
  push_following(out, static_cast<size_t>(index));
  sort_by_time(out);
  return out;
}

Shots nudge_shot(const Shots& shots, int index, double delta) {
  if (!valid_index(shots, index)) return shots;
  const Shot& s = shots[index];
  double lowest = 0;
  double highest = std::max(0.0, s.timeline.start) + 1e12;
  for (int i = 0; i < static_cast<int>(shots.size()); ++i) {
    const Shot& o = shots[i];
    if (i == index || o.timeline.track != s.timeline.track) continue;
    if (o.timeline.start < s.timeline.start || (o.timeline.start == s.timeline.start && i < index)) {
      lowest = std::max(lowest, shot_end(o));
    } else {
      highest = std::min(highest, o.timeline.start - s.timeline.duration);
    }
  }
  if (highest < lowest) return shots;  // no room: it already touches both neighbours
  Shots out = shots;
  out[index].timeline.start = std::clamp(s.timeline.start + delta, lowest, highest);
  sort_by_time(out);
  return out;
}

int keyframe_index(const Shot& shot, int frame) {
  for (size_t k = 0; k < shot.keyframes.size(); ++k)
    if (shot.keyframes[k].frame == frame) return static_cast<int>(k);
  return -1;
}

Result<Shots> add_keyframe(const Shots& shots, int index, int frame) {
  if (!valid_index(shots, index)) return Error::invalid_argument("no shot at position " + std::to_string(index));
  const Shot& s = shots[index];
  if (s.type != project::ShotType::kVideo) {
    return Error::invalid_argument("\"" + s.id + "\" is an image shot: prompt keyframes are for video shots");
  }
  if (frame < 1 || frame >= s.frames) {
    return Error::invalid_argument("a keyframe of \"" + s.id + "\" goes on frames 1 to " + std::to_string(s.frames - 1) +
                                   " (frame 0 is the shot's own prompt), not " + std::to_string(frame));
  }
  if (keyframe_index(s, frame) >= 0) {
    return Error::invalid_argument("\"" + s.id + "\" already has a keyframe at frame " + std::to_string(frame));
  }
  Shots out = shots;
  auto& keys = out[index].keyframes;
  const auto at = std::find_if(keys.begin(), keys.end(), [&](const auto& k) { return k.frame > frame; });
  keys.insert(at, {frame, project::prompt_at_frame(s, frame)});
  return out;
}

Shots move_keyframe(const Shots& shots, int index, int k, int frame) {
  if (!valid_index(shots, index)) return shots;
  const auto& keys = shots[index].keyframes;
  if (k < 0 || k >= static_cast<int>(keys.size())) return shots;
  const int lowest = k > 0 ? keys[k - 1].frame + 1 : 1;
  const int highest = k + 1 < static_cast<int>(keys.size()) ? keys[k + 1].frame - 1 : shots[index].frames - 1;
  Shots out = shots;
  out[index].keyframes[k].frame = std::clamp(frame, lowest, highest);
  return out;
}

Shots remove_keyframe(const Shots& shots, int index, int k) {
  if (!valid_index(shots, index)) return shots;
  const auto& keys = shots[index].keyframes;
  if (k < 0 || k >= static_cast<int>(keys.size())) return shots;
  Shots out = shots;
  out[index].keyframes.erase(out[index].keyframes.begin() + k);
  return out;
}

int shot_at(const Shots& shots, double seconds) {
  int best = -1;
  for (size_t i = 0; i < shots.size(); ++i) {
    const Shot& s = shots[i];
    if (seconds < s.timeline.start - kEpsilon || seconds >= shot_end(s) - kEpsilon) continue;
    if (best < 0 || s.timeline.track < shots[best].timeline.track) best = static_cast<int>(i);
  }
  return best;
}

}  // namespace dc::ui::timeline
