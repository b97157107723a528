// Helpers shared by the UI tests.
#pragma once

#include <QString>
#include <QWidget>
#include <memory>

#include "ui/main_window/main_window.h"
#include "ui/settings/app_settings.h"

namespace dc::test {

// tests/data/flux_pipeline: holds the tiny DC-Gen-FLUX pipeline folder (and goldens).
QString tiny_pipelines_folder();
QString tiny_pipeline();  // .../tiny-dcgen-flux

// Writes settings.ini into `data_dir` as the app would, before a window reads it.
void write_settings(const QString& data_dir, const ui::AppSettings& settings);

// A main window over `dir`/data (settings as write_settings left them) whose questions
// answer "discard the unsaved edits" and "do not restore the autosave", 1400×900,
// shown; with `project`, that file opened (a failure stops the test run).
std::unique_ptr<ui::MainWindow> open_main_window(const QString& dir, const QString& project = {});

// With DC_UI_SCREENSHOTS=<folder> set, saves widget->grab() as <folder>/<name>.png
// (how docs/screenshots are made); otherwise does nothing.
void save_screenshot(QWidget* widget, const QString& name);

// True when the image has at least two different pixels (not blank, not flat).
bool is_non_constant(const QImage& image);

}  // namespace dc::test
