#include "core/project/render_plan.h"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

#include "core/base/assert.h"
#include "core/io/safetensors/json_util.h"
#include "core/project/atomic_file.h"
#include "core/project/content_hash.h"
#include "core/project/project_file.h"
#include "core/project/schema_reader.h"

namespace dc::project {
namespace fs = std::filesystem;
namespace {

std::string record_name(std::string_view shot_id) { return std::string(shot_id) + ".done.json"; }

bool parse_int(std::string_view text, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<Shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  Shard s;
  if (slash == std::string_view::npos || !parse_int(text.substr(0, slash), s.index) ||
      !parse_int(text.substr(slash + 1), s.count) || s.count < 1 || s.index < 1 || s.index > s.count) {
    return Error::invalid_argument("--shard must be I/N with 1 <= I <= N (e.g. 3/8), got \"" + std::string(text) + "\"");
  }
  return s;
}

Result<std::vector<size_t>> select_shots(const Project& project, const std::vector<std::string>& only, Shard shard) {
  DC_ASSERT(shard.count >= 1 && shard.index >= 1 && shard.index <= shard.count);
  for (const std::string& id : only) {
    if (!project.find_shot(id)) return Error::invalid_argument("no shot \"" + id + "\" in the project");
  }
  std::vector<size_t> picked;
  for (size_t k = 0; k < project.shots.size(); ++k) {
    if (static_cast<int>(k % static_cast<size_t>(shard.count)) + 1 != shard.index) continue;
    const std::string& id = project.shots[k].id;
    if (!only.empty() && std::find(only.begin(), only.end(), id) == only.end()) continue;
    picked.push_back(k);
  }
  return picked;
}

std::string image_extension(std::string_view image_format) {
  std::string ext = ".";
  return ext.append(image_format);
}

std::string shot_output_name(const Project& project, const Shot& shot) {
  return shot.id + image_extension(project.output.image_format);
}

std::vector<std::string> lora_file_hashes(const fs::path& project_file, const Shot& shot, LoRAHashCache* cache) {
  std::vector<std::string> hashes;
  for (const LoRARef& l : shot.loras) {
    const fs::path file = resolve_project_path(project_file, l.path);
    if (cache != nullptr) {
      if (auto it = cache->find(file); it != cache->end()) {
        hashes.push_back(it->second);
        continue;
      }
    }
    Result<std::string> h = file_hash(file);
    hashes.push_back(h ? *h : std::string("missing"));
    if (cache != nullptr) cache->emplace(file, hashes.back());
  }
  return hashes;
}

std::string shot_fingerprint(const Project& project, const Shot& shot, const std::vector<std::string>& lora_contents) {
  nlohmann::ordered_json j;
  j["type"] = shot_type_name(shot.type);
  j["prompt"] = shot.prompt;
  j["negative_prompt"] = shot.negative_prompt;
  j["seed"] = shot.seed;
  j["steps"] = shot.steps;
  j["guidance"] = shot.guidance;
  j["true_cfg_scale"] = shot.true_cfg_scale;
  j["sampler"] = shot.sampler;
  j["schedule"] = shot.schedule;
  j["size"] = {shot.width, shot.height};
  j["video"] = {shot.frames, shot.fps};
  // Only when present, so the fingerprints of shots made before keyframes existed stay the same.
  for (const PromptKeyframe& k : shot.keyframes) j["keyframes"].push_back({k.frame, k.prompt});
  for (size_t i = 0; i < shot.loras.size(); ++i) {
    const LoRARef& l = shot.loras[i];
    if (i < lora_contents.size()) j["loras"].push_back({l.path, l.strength, lora_contents[i]});
    else j["loras"].push_back({l.path, l.strength});
  }
  if (const ModelRef* m = project.find_model(shot.model)) j["model"] = {m->folder, m->content_hash};
  j["image_format"] = project.output.image_format;
  Fnv1a64 h;
  h.update(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return h.hex();
}

fs::path render_record_path(const fs::path& out_dir, std::string_view shot_id) {
  return out_dir / record_name(shot_id);
}

Status write_render_record(const fs::path& out_dir, const RenderRecord& r) {
  const nlohmann::ordered_json j = {{"shot", r.shot},   {"output", r.output},          {"bytes", r.bytes},
                                    {"hash", r.hash},   {"fingerprint", r.fingerprint}};
  return write_file_atomic(render_record_path(out_dir, r.shot), j.dump(2) + "\n");
}

Result<RenderRecord> read_render_record(const fs::path& out_dir, std::string_view shot_id) {
  const fs::path path = render_record_path(out_dir, shot_id);
  DC_TRY(nlohmann::json doc, read_json_file(path, 1 << 20));
  SchemaProblems problems;
  ObjectReader reader(doc, "", problems);
  RenderRecord r;
  r.shot = reader.string("shot");
  r.output = reader.string("output");
  r.bytes = reader.unsigned_integer("bytes");
  r.hash = reader.string("hash");
  r.fingerprint = reader.string("fingerprint");
  reader.reject_unknown_keys();
  if (!problems.empty()) return problems.to_error(path.string());
  if (r.shot != shot_id) return Error::format(path.string() + ": records shot \"" + r.shot + "\"");
  return r;
}

FinishedCheck check_finished(const fs::path& out_dir, const Project& project, const Shot& shot,
                             const std::vector<std::string>& lora_contents) {
  Result<RenderRecord> record = read_render_record(out_dir, shot.id);
  if (!record) {
    if (record.error().code() == ErrorCode::kNotFound) return {false, "not rendered yet"};
    return {false, "its record is unreadable (" + record.error().to_string() + ")"};
  }
  if (record->fingerprint != shot_fingerprint(project, shot, lora_contents)) {
    return {false, shot.loras.empty() ? "the shot changed since it was rendered"
                                      : "the shot or its LoRA files changed since it was rendered"};
  }
  if (record->output != shot_output_name(project, shot)) return {false, "the output format changed"};
  const fs::path output = out_dir / record->output;
  std::error_code ec;
  const uint64_t bytes = fs::file_size(output, ec);
  if (ec) return {false, "its output " + record->output + " is missing"};
  if (bytes != record->bytes) return {false, "its output " + record->output + " has a different size (torn?)"};
  Result<std::string> hash = file_hash(output);
  if (!hash || *hash != record->hash) return {false, "its output " + record->output + " has different content"};
  return {true, ""};
}

int remove_stale_temporaries(const fs::path& out_dir, const Project& project, const Shot& shot) {
  const std::string output = shot_output_name(project, shot);
  const std::string record = record_name(shot.id);
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (is_atomic_temp_of(name, output) || is_atomic_temp_of(name, record)) removed += fs::remove(entry.path(), ec);
  }
  return removed;
}

}  // namespace dc::project
