// What the prompt panel edits, the queue stores and the gallery remembers: one
// text-to-image request in the app's own terms (Qt strings, JSON-able), turned
// into core's JobSpec only when it is handed to the engine.
//
//   GenerationParams p = panel->params();
//   QJsonObject saved = to_json(p);                 // queue.json, gallery.json
//   std::optional<GenerationParams> back = params_from_json(saved, &why);
//   engine.submit(to_job_spec(p));
#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <optional>

#include "core/engine/job.h"

namespace dc::ui {

// One row of the prompt panel's LoRA list. Disabled rows and rows whose file is
// missing stay listed (and saved) but are not sent to the engine.
struct LoRAEntry {
  QString path;  // a .safetensors file, absolute
  double strength = 1.0;
  bool enabled = true;
  bool operator==(const LoRAEntry&) const = default;
};

struct GenerationParams {
  QString model_folder;  // a pipeline folder (model_index.json)
  QString prompt;
  QString negative_prompt;
  double true_cfg_scale = 4.0;  // used only with a negative prompt (as dcgen generate)
  double guidance = 3.5;        // embedded (distilled) guidance
  int steps = 20;
  QString sampler = QStringLiteral("flow_match_euler");  // project::kSamplers
  QString schedule = QStringLiteral("auto");             // sigma shift: auto (the model's), flux, flux2
  int width = 1024;
  int height = 1024;
  int batch = 1;
  quint64 seed = 0;
  QList<LoRAEntry> loras;  // merged into the model in this order
  bool operator==(const GenerationParams&) const = default;
};

QJsonObject to_json(const GenerationParams& params);
// nullopt with `error` set when a field is missing or has the wrong type. "loras",
// "sampler" and "schedule" are optional (files written before them have none).
std::optional<GenerationParams> params_from_json(const QJsonObject& json, QString* error);

// The LoRAs that take part: enabled ones whose file exists, in list order.
QList<LoRAEntry> loras_to_apply(const GenerationParams& params);
bool lora_file_exists(const QString& path);
QString lora_name(const QString& path);  // the file's stem, as metadata and the panel name it

// The job the engine runs (only loras_to_apply's LoRAs go with it).
engine::JobSpec to_job_spec(const GenerationParams& params);

// "a cat in the snow · 1024×1024 · 20 steps · seed 42": one line for lists and tooltips.
QString summary_line(const GenerationParams& params);

}  // namespace dc::ui

Q_DECLARE_METATYPE(dc::ui::GenerationParams)
