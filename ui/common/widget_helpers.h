// Small helpers the panels share.
#pragma once

#include <QString>
#include <QToolButton>

namespace dc::ui {

// A tool button with an object name (tests find it by that), a label and a tooltip.
QToolButton* make_tool_button(QWidget* parent, const char* name, const QString& text, const QString& tip,
                              bool auto_raise = false);

// The canonical path of an existing file or folder, else its absolute path: two
// spellings of one place compare equal.
QString canonical_path(const QString& path);

}  // namespace dc::ui
