// The .dcproj schema, written as code: the JSON document of the current version
// <-> Project. Reading checks every rule and names the JSON path of each problem:
//
//   shots[3].steps: must be an integer from 1 to 1000, got 0
//   shots[1].id: "intro" is used by shots[0] too
//
// Rules: the keys each object may have (unknown keys are errors, so a typo is not
// silently ignored), which are required, their JSON types and ranges, unique
// model and shot ids, shots naming a known model, known shot types, samplers,
// schedules and output formats, video-only keys only on video shots, prompt
// keyframes inside their shot (frames 1 ... frames - 1) in increasing frame order.
//
// Document layout (version 1):
//   { "format": "dcstudio-project", "version": 1, "name": "...",
//     "models": [ { "id", "folder", "content_hash"? } ],
//     "shots":  [ { "id", "type": "image"|"video", "model", "prompt", "negative_prompt"?, "seed",
//                   "steps"?, "guidance"?, "true_cfg_scale"?, "sampler"?, "schedule"?, "width", "height",
//                   "frames"/"fps" (video), "keyframes"? (video): [ { "frame", "prompt" } ], "loras"?: [ { "path", "strength"? } ],
//                   "timeline"?: { "track"?, "start"?, "duration"? } } ],
//     "output"?: { "folder"?, "image_format"? } }
// Optional keys take the defaults in project.h. A shot without "timeline" starts
// where the shot before it ends, on track 0, lasting 5 s (image) or frames / fps (video).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "core/base/result.h"
#include "core/project/project.h"

namespace dc::project {

// `document` must already be at kProjectVersion (project_migration.h brings older
// ones there). kFormat listing every problem found (the first 10 of them).
Result<Project> project_from_json(const nlohmann::json& document);

// The document for `project`, keys in a readable fixed order, every value explicit.
nlohmann::ordered_json project_to_json(const Project& project);

}  // namespace dc::project
