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
#include <QMetaType>
#include <QString>
#include <optional>

#include "core/engine/job.h"

namespace dc::ui {

struct GenerationParams {
  QString model_folder;  // a pipeline folder (model_index.json)
  QString prompt;
  QString negative_prompt;
  double true_cfg_scale = 4.0;  // used only with a negative prompt (as dcgen generate)
  double guidance = 3.5;        // embedded (distilled) guidance
  int steps = 20;
  int width = 1024;
  int height = 1024;
  int batch = 1;
  quint64 seed = 0;
  bool operator==(const GenerationParams&) const = default;
};

QJsonObject to_json(const GenerationParams& params);
// nullopt with `error` set when a field is missing or has the wrong type.
std::optional<GenerationParams> params_from_json(const QJsonObject& json, QString* error);

engine::JobSpec to_job_spec(const GenerationParams& params);

// "a cat in the snow · 1024×1024 · 20 steps · seed 42": one line for lists and tooltips.
QString summary_line(const GenerationParams& params);

}  // namespace dc::ui

Q_DECLARE_METATYPE(dc::ui::GenerationParams)
