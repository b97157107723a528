#include "ui/main_window/main_window.h"

#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonDocument>
#include <QScrollArea>
#include <QStatusBar>
#include <QUndoStack>
#include <QUrl>
#include <QVBoxLayout>

#include "core/tensor/cuda_context.h"
#include "ui/common/notice_bar.h"
#include "ui/gallery/gallery_model.h"
#include "ui/gallery/gallery_store.h"
#include "ui/gallery/gallery_view.h"
#include "ui/main_window/prompt_shot_link.h"
#include "ui/main_window/status_panel.h"
#include "ui/project/project_document.h"
#include "ui/project/recent_projects.h"
#include "ui/project/shot_list_model.h"
#include "ui/project/shot_output.h"
#include "ui/project/shots_view.h"
#include "ui/prompt/model_catalog.h"
#include "ui/prompt/params_command.h"
#include "ui/prompt/prompt_panel.h"
#include "ui/queue/queue_commands.h"
#include "ui/queue/queue_runner.h"
#include "ui/queue/queue_store.h"
#include "ui/queue/queue_view.h"
#include "ui/queue/render_queue_model.h"
#include "ui/viewport/surface_viewport.h"
#include "ui/settings/settings_dialog.h"
#include "ui/timeline/timeline_model.h"
#include "ui/timeline/timeline_panel.h"
#include "ui/timeline/timeline_view.h"
#include "ui/viewport/viewport_widget.h"

namespace dc::ui {
namespace {

const QString kSessionParamsKey = QStringLiteral("session/params");
const QString kSessionSeedLockedKey = QStringLiteral("session/seed_locked");

// The viewport HUD's lines for a job's progress (the GPU's memory when there is one).
HudLines hud_lines(const JobProgress& p) {
  HudLines h;
  h.status = p.phase;
  if (p.stage == pipeline::GenerationPhase::kDenoising) {
    h.step = p.step;
    h.total_steps = p.total;
    h.iterations_per_second = p.steps_per_second;
  }
  if (cuda_available()) {
    const CudaDeviceMemory device = cuda_device_memory();
    h.vram_total_bytes = device.total_bytes;
    h.vram_used_bytes = device.total_bytes - device.free_bytes;
  }
  return h;
}

EngineSettings engine_settings(const AppSettings& s) { return {s.device, s.vram_budget, s.output_folder}; }

QString data_file(const MainWindowOptions& o, const char* name) { return QDir(o.data_dir).filePath(QLatin1String(name)); }

}  // namespace

MainWindow::MainWindow(MainWindowOptions options, QWidget* parent)
    : QMainWindow(parent),
      options_(std::move(options)),
      store_(data_file(options_, "settings.ini"), QSettings::IniFormat),
      settings_(load_settings(store_, options_.default_output_folder)),
      recent_(new RecentProjects(&store_, this)),
      undo_(new QUndoStack(this)),
      client_(new EngineClient(engine_settings(settings_), this)),
      queue_model_(new RenderQueueModel(this)),
      runner_(new QueueRunner(queue_model_, client_, this)),
      gallery_model_(new GalleryModel(this)),
      prompt_(new PromptPanel(this)),
      viewport_(new ViewportWidget(this)),
      notice_(new NoticeBar(this)),
      gallery_view_(new GalleryView(gallery_model_, this)),
      queue_view_(new QueueView(queue_model_, this)),
      status_(new StatusPanel(this)),
      project_(new ProjectDocument(this)),
      shot_model_(new ShotListModel(project_, this)),
      shots_view_(new ShotsView(shot_model_, this)),
      timeline_model_(new TimelineModel(project_, undo_, this)),
      timeline_panel_(new TimelinePanel(timeline_model_, this)),
      link_(new PromptShotLink(prompt_, timeline_model_, project_, undo_, this)),
      link_banner_(new QWidget(this)) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("DC Studio"));
  QDir().mkpath(options_.data_dir);

  auto* centre = new QWidget(this);
  auto* layout = new QVBoxLayout(centre);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(notice_);
  layout->addWidget(viewport_, 1);
  setCentralWidget(centre);
  statusBar()->addPermanentWidget(status_);

  buildDocks();
  buildActions();
  connectQueue();
  connectProject();
  connectTimeline();
  loadState();
  resize(1400, 900);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
  auto dock = [this](QWidget* content, const QString& title, const char* name, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(QLatin1String(name));
    d->setWidget(content);
    d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    addDockWidget(area, d);
    return d;
  };
  auto* scroll = new QScrollArea(this);
  scroll->setWidget(prompt_);
  scroll->setWidgetResizable(true);
  auto* prompt_side = new QWidget(this);
  auto* prompt_layout = new QVBoxLayout(prompt_side);
  prompt_layout->setContentsMargins(0, 0, 0, 0);
  prompt_layout->setSpacing(0);
  prompt_layout->addWidget(link_banner_);
  prompt_layout->addWidget(scroll, 1);
  prompt_side->setMinimumWidth(360);
  dock(prompt_side, tr("Prompt"), "promptDock", Qt::LeftDockWidgetArea);
  dock(queue_view_, tr("Render queue"), "queueDock", Qt::RightDockWidgetArea)->setMinimumWidth(300);
  dock(shots_view_, tr("Project"), "projectDock", Qt::RightDockWidgetArea);
  QDockWidget* gallery = dock(gallery_view_, tr("Gallery"), "galleryDock", Qt::BottomDockWidgetArea);
  gallery->setMinimumHeight(150);
  QDockWidget* timeline = dock(timeline_panel_, tr("Timeline"), "timelineDock", Qt::BottomDockWidgetArea);
  splitDockWidget(gallery, timeline, Qt::Horizontal);  // side by side: the timeline gets the width it needs
  resizeDocks({gallery, timeline}, {1, 3}, Qt::Horizontal);
  resizeDocks({timeline}, {timeline_panel_->sizeHint().height() + 24}, Qt::Vertical);  // + the dock's title
}

void MainWindow::connectQueue() {
  connect(prompt_, &PromptPanel::generateRequested, this, &MainWindow::generate);
  connect(prompt_, &PromptPanel::cancelRequested, this, &MainWindow::cancel);
  connect(prompt_, &PromptPanel::paramsCommitted, this,
          [this](const GenerationParams& before, const GenerationParams& after) {
            if (!link_->applyPanelEdit(before, after))  // the selected shot's edit, or the free panel's
              undo_->push(new ParamsCommand(prompt_, before, after, describe_change(before, after)));
            saveSession();
          });

  connect(runner_, &QueueRunner::entryStarted, this, [this](const QUuid&, const GenerationParams& params) {
    prompt_->setGenerating(true);
    status_->showProgress({pipeline::GenerationPhase::kLoading, tr("loading"), 0, 0, 0, 0});
    statusBar()->showMessage(tr("Generating: %1").arg(summary_line(params)));
  });
  connect(runner_, &QueueRunner::entryProgress, this, [this](const QUuid&, const JobProgress& progress) {
    status_->showProgress(progress);
    viewport_->setHudStats(hud_lines(progress));
  });
  connect(runner_, &QueueRunner::entryPreview, this, [this](const QUuid& entry, int step, const QImage& preview) {
    const QueueEntry* e = queue_model_->find(entry);
    const QSize size = e ? QSize(e->params.width, e->params.height) : preview.size();
    viewport_->setImage(preview, tr("Preview, step %1/%2").arg(step).arg(e ? e->params.steps : step), size);
  });
  connect(runner_, &QueueRunner::entryFinished, this, &MainWindow::onEntryFinished);
  connect(runner_, &QueueRunner::idle, this, [this] {
    prompt_->setGenerating(false);
    status_->showIdle();
  });

  connect(queue_model_, &RenderQueueModel::changed, this, &MainWindow::saveQueue);
  connect(gallery_model_, &GalleryModel::changed, this, &MainWindow::saveGallery);
  connect(queue_view_, &QueueView::moveRequested, this, &MainWindow::onQueueMoveRequested);
  connect(queue_view_, &QueueView::removeRequested, this, &MainWindow::onQueueRemoveRequested);
  connect(queue_view_, &QueueView::cancelRequested, this, &MainWindow::onQueueCancelRequested);
  connect(queue_view_, &QueueView::retryRequested, this, &MainWindow::onQueueRetryRequested);

  connect(gallery_view_, &GalleryView::imageActivated, this, &MainWindow::onGalleryImageActivated);
  connect(gallery_view_, &GalleryView::reopenRequested, this, [this](const GenerationParams& params) {
    timeline_model_->clearSelection();  // these are the image's values, not the selected shot's
    const GenerationParams before = prompt_->params();
    prompt_->setParams(params);
    prompt_->setSeedLocked(true);  // reopening means re-making this image
    undo_->push(new ParamsCommand(prompt_, before, params, tr("Reopen parameters")));
  });
  connect(gallery_view_, &GalleryView::revealRequested, this, &MainWindow::onRevealRequested);
}

void MainWindow::loadState() {
  prompt_->setModels(available_models(settings_.model_folders));
  prompt_->setLoRAFolder(settings_.lora_folder);
  // The parameters of the last session, as it left them (a new install keeps the defaults).
  const QJsonObject last = QJsonDocument::fromJson(store_.value(kSessionParamsKey).toByteArray()).object();
  QString ignored;
  if (std::optional<GenerationParams> params = params_from_json(last, &ignored)) prompt_->setParams(*params);
  prompt_->setSeedLocked(store_.value(kSessionSeedLockedKey, false).toBool());
  Result<QList<GalleryItem>> gallery = load_gallery(data_file(options_, "gallery.json"));
  if (gallery) {
    gallery_model_->setItems(std::move(*gallery));
  } else {
    showError(tr("The gallery history could not be read: %1").arg(QString::fromStdString(gallery.error().to_string())));
  }
  Result<QList<QueueEntry>> queue = load_queue(data_file(options_, "queue.json"));
  if (queue) {
    queue_model_->setEntries(std::move(*queue));
  } else {
    showError(tr("The render queue could not be read: %1").arg(QString::fromStdString(queue.error().to_string())));
  }
  reopenLastProject();
  // Jobs left queued by the last session run now (they are visible in the queue to cancel).
  QMetaObject::invokeMethod(runner_, &QueueRunner::startNext, Qt::QueuedConnection);
}

void MainWindow::applySettings(const AppSettings& settings) {
  settings_ = settings;
  save_settings(store_, settings_);
  client_->setSettings(engine_settings(settings_));
  prompt_->setModels(available_models(settings_.model_folders));
  prompt_->setLoRAFolder(settings_.lora_folder);
}

void MainWindow::showSettings() {
  SettingsDialog dialog(settings_, this);
  if (dialog.exec() == QDialog::Accepted) applySettings(dialog.settings());
}

void MainWindow::generate() {
  const GenerationParams params = prompt_->paramsForGeneration();
  if (params.model_folder.isEmpty()) {
    showError(tr("Choose a model first: add the folder that holds your pipelines in Settings > Model folders."));
    return;
  }
  // A LoRA the artist left on but whose file is gone is not silently dropped: the job runs without it, and says so.
  QStringList missing;
  for (const LoRAEntry& l : params.loras)
    if (l.enabled && !QFileInfo(l.path).isFile()) missing << QDir::toNativeSeparators(l.path);
  if (!missing.isEmpty()) {
    notice_->showMessage(NoticeBar::Kind::kInfo, tr("Generating without %n missing LoRA file(s): %1", nullptr,
                                                    int(missing.size())).arg(missing.join(QStringLiteral(", "))));
  }
  queue_model_->enqueue(params);
  runner_->startNext();
}

void MainWindow::cancel() {
  if (runner_->isRunning()) runner_->cancel(runner_->runningEntry());
}

void MainWindow::onEntryFinished(const QUuid& entry, const GenerationParams& params, const JobOutcome& outcome) {
  switch (outcome.status) {
    case JobOutcome::Status::kSucceeded: {
      const QueueEntry* queued = queue_model_->find(entry);
      if (queued && !queued->shot_output.isEmpty() && !outcome.files.isEmpty()) {
        if (Status s = publish_shot_output(outcome.files.front(), queued->shot_output); !s)
          showError(tr("The shot's picture stays in the gallery only: %1").arg(QString::fromStdString(s.error().message())));
        timeline_panel_->view()->update();  // its clip shows the new picture
      }
      for (int k = outcome.files.size() - 1; k >= 0; --k) {  // newest first: image 1 ends on top
        GenerationParams made = params;
        made.seed = outcome.seeds.value(k, params.seed);
        made.batch = 1;  // "reopen parameters" re-makes this one image
        gallery_model_->add({outcome.files[k], made, QDateTime::currentDateTime(), {}}, outcome.images.value(k));
      }
      if (!outcome.images.isEmpty()) viewport_->setImage(outcome.images.front(), QFileInfo(outcome.files.front()).fileName());
      statusBar()->showMessage(tr("Saved %1 (%2 s)").arg(outcome.files.join(QStringLiteral(", "))).arg(outcome.seconds, 0, 'f', 1));
      break;
    }
    case JobOutcome::Status::kFailed: showError(tr("Generation failed: %1").arg(outcome.error)); break;
    case JobOutcome::Status::kCancelled: statusBar()->showMessage(tr("Cancelled")); break;
  }
}

void MainWindow::onQueueMoveRequested(int from, int to) {
  const int n = queue_model_->rowCount();
  if (from < 0 || from >= n || to < 0 || to >= n) return;
  undo_->push(new MoveQueueEntryCommand(queue_model_, from, to));
  queue_view_->list()->setCurrentIndex(queue_model_->index(to));
}

void MainWindow::onQueueRemoveRequested(int row) {
  if (RemoveQueueEntryCommand::allowed(*queue_model_, row)) undo_->push(new RemoveQueueEntryCommand(queue_model_, row));
}

void MainWindow::onQueueCancelRequested(int row) {
  if (const QueueEntry* e = queue_model_->entries().size() > row && row >= 0 ? &queue_model_->entries()[row] : nullptr)
    runner_->cancel(e->id);
}

void MainWindow::onQueueRetryRequested(int row) {
  if (queue_model_->retry(row)) runner_->startNext();
}

void MainWindow::onGalleryImageActivated(const QString& file) {
  QImageReader reader(file);
  const QImage image = reader.read();
  if (image.isNull()) {
    showError(tr("Cannot open %1: %2").arg(file, reader.errorString()));
    return;
  }
  viewport_->setImage(image, QFileInfo(file).fileName());
}

void MainWindow::onRevealRequested(const QString& file) {
  // File managers differ in how they select a file; opening its folder works everywhere.
  QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(file).absolutePath()));
}

void MainWindow::saveSession() {
  store_.setValue(kSessionParamsKey, QJsonDocument(to_json(prompt_->params())).toJson(QJsonDocument::Compact));
  store_.setValue(kSessionSeedLockedKey, prompt_->isSeedLocked());
}

void MainWindow::saveQueue() {
  const Status s = save_queue(data_file(options_, "queue.json"), queue_model_->entries());
  if (!s) showError(tr("The render queue could not be saved: %1").arg(QString::fromStdString(s.error().to_string())));
}

void MainWindow::saveGallery() {
  const Status s = save_gallery(data_file(options_, "gallery.json"), gallery_model_->items());
  if (!s) showError(tr("The gallery history could not be saved: %1").arg(QString::fromStdString(s.error().to_string())));
}

void MainWindow::showError(const QString& text) {
  notice_->showMessage(NoticeBar::Kind::kError, text);
  statusBar()->showMessage(text.section(QLatin1Char(':'), 0, 0), 10000);  // the full text is in the notice bar
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!confirmDiscardProject()) {
    event->ignore();
    return;
  }
  // The running job is cancelled when the engine goes; the queue file already has it as
  // running, which the next start reads as queued.
  saveQueue();
  saveSession();
  event->accept();
}

}  // namespace dc::ui
