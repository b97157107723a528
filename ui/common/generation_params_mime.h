// GenerationParams as drag-and-drop data: the gallery's thumbnails carry the
// parameters that made their image under the app's own MIME type, and the
// timeline turns a drop of it into a shot. Data from anywhere else (files,
// text, other apps) is not ours and is refused by whoever reads it.
//
//   drag->setMimeData(generation_params_mime(item.params));         // gallery
//   if (auto p = params_from_mime(event->mimeData(), &why)) ...      // timeline
#pragma once

#include <QString>
#include <optional>

#include "ui/common/generation_params.h"

class QMimeData;

namespace dc::ui {

inline constexpr char kGenerationParamsMimeType[] = "application/x-dcstudio-generation-params";

// A new QMimeData (the caller or the drag owns it) holding to_json(params), compact UTF-8.
QMimeData* generation_params_mime(const GenerationParams& params);
bool has_generation_params(const QMimeData* mime);
// nullopt with `error` set when `mime` is null, lacks our type, or its JSON is not parameters.
std::optional<GenerationParams> params_from_mime(const QMimeData* mime, QString* error);

}  // namespace dc::ui
