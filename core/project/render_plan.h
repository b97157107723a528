// Planning a batch render of a project: which shots this process renders (a
// --shots filter, a --shard of a render farm's job array), what each output is
// called, and the per-shot records that let a killed render resume.
//
//   DC_TRY(Shard shard, parse_shard("2/8"));
//   DC_TRY(std::vector<size_t> todo, select_shots(project, {}, shard));
//   for (size_t k : todo) {
//     const Shot& shot = project.shots[k];
//     if (check_finished(out, project, shot).finished) continue;  // --resume
//     ... render, write <out>/<id>.png atomically ...
//     write_render_record(out, {...});                             // <out>/<id>.done.json
//   }
//
// Shards: shot k (0-based position in the project's "shots" list) belongs to
// shard (k mod N) + 1 of N. The rule depends only on the project, so N processes
// given 1/N .. N/N render every shot exactly once, and concurrent shards never
// write the same file (each shot has its own output and record).
#pragma once

#include <cstdint>
#include <map>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/project/project.h"

namespace dc::project {

struct Shard {
  int index = 1;  // 1-based
  int count = 1;
};

// "I/N" with 1 <= I <= N; kInvalidArgument otherwise.
Result<Shard> parse_shard(std::string_view text);

// Indices into project.shots, in project order: those named in `only` (every shot
// when empty; an unknown id is kInvalidArgument), then the shard's share.
Result<std::vector<size_t>> select_shots(const Project& project, const std::vector<std::string>& only, Shard shard);

// ".png", ".exr", ".tif", ".safetensors" for an OutputSettings::image_format.
std::string image_extension(std::string_view image_format);
// "<shot id><ext>": the shot's output file inside the output folder.
std::string shot_output_name(const Project& project, const Shot& shot);

// What the shot's LoRA files hold now, in the shot's order: file_hash of each
// (relative paths resolved against the project file), or "missing" — so a LoRA
// retrained in place makes --resume render its shots again. `cache` (optional)
// keeps one hash per file for a whole render.
using LoRAHashCache = std::map<std::filesystem::path, std::string>;
std::vector<std::string> lora_file_hashes(const std::filesystem::path& project_file, const Shot& shot,
                                          LoRAHashCache* cache = nullptr);

// A hash of everything in the project that decides the shot's output: its
// parameters, model folder and content hash, LoRAs (path, strength and, when
// given, lora_file_hashes) and the output format — not its id or timeline
// placement. A resumed render redoes a shot whose fingerprint changed since it
// was rendered. Shots without LoRAs hash as they always did.
std::string shot_fingerprint(const Project& project, const Shot& shot,
                             const std::vector<std::string>& lora_contents = {});

// What a finished shot left: written after its output is in place.
struct RenderRecord {
  std::string shot;         // shot id
  std::string output;       // file name in the output folder
  uint64_t bytes = 0;       // its size
  std::string hash;         // file_hash of it
  std::string fingerprint;  // shot_fingerprint when rendered
  bool operator==(const RenderRecord&) const = default;
};

// "<out>/<shot id>.done.json"
std::filesystem::path render_record_path(const std::filesystem::path& out_dir, std::string_view shot_id);
Status write_render_record(const std::filesystem::path& out_dir, const RenderRecord& record);
// kNotFound when absent, kFormat when malformed.
Result<RenderRecord> read_render_record(const std::filesystem::path& out_dir, std::string_view shot_id);

struct FinishedCheck {
  bool finished = false;
  std::string reason;  // why not: "not rendered yet", "output missing", "output size differs (torn?)", ...
};

// Finished = a record with the shot's current fingerprint, and its output file
// present with the recorded size and hash.
FinishedCheck check_finished(const std::filesystem::path& out_dir, const Project& project, const Shot& shot,
                             const std::vector<std::string>& lora_contents = {});

// Removes temporaries a killed render left for the shot's output and record
// (hidden ".<name>.tmp-*" files, atomic_file.h). Returns how many were removed.
int remove_stale_temporaries(const std::filesystem::path& out_dir, const Project& project, const Shot& shot);

}  // namespace dc::project
