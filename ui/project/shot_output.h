// A shot job's picture, published where `dcgen render` puts it: the project's
// <output folder>/<shot id>.png, written atomically (a reader such as the
// timeline never sees half a file; a failed copy leaves the old picture).
//
//   if (Status s = publish_shot_output(outcome.files.front(), entry.shot_output); !s) showError(...);
#pragma once

#include <QString>

#include "core/base/result.h"

namespace dc::ui {

// Replaces `to` with the bytes of `from`, making its folder when needed.
Status publish_shot_output(const QString& from, const QString& to);

}  // namespace dc::ui
