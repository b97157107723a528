// The prompt panel's LoRA list end to end: adding (dialog's path, drops), removing,
// reordering (buttons, drags), strengths and the enable box as undoable steps with
// every row checked after each step and each undo/redo; missing files shown and not
// sent; GenerationParams JSON with and without "loras"; job specs; shots <-> panel
// (relative paths, the panel's disabled rows, a linked shot's edits and their undo);
// "reopen parameters"; and a tiny-model image made with a LoRA that names it in
// its PNG metadata and equals `dcgen generate --lora`.
#include <QCheckBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>
#include <QUrl>
#include <memory>

#include "core/project/project_file.h"
#include "tests/ui/ui_test_registry.h"
#include "tests/ui/ui_test_support.h"
#include "ui/gallery/gallery_model.h"
#include "ui/gallery/gallery_view.h"
#include "ui/common/notice_bar.h"
#include "ui/main_window/main_window.h"
#include "ui/main_window/prompt_shot_link.h"
#include "ui/project/project_document.h"
#include "ui/project/shot_params.h"
#include "ui/prompt/lora_list.h"
#include "ui/prompt/params_command.h"
#include "ui/prompt/prompt_panel.h"
#include "ui/queue/render_queue_model.h"
#include "ui/settings/settings_dialog.h"
#include "ui/timeline/timeline_model.h"

namespace dc::ui {
namespace {

constexpr int kJobTimeoutMs = 120000;

void touch(const QString& path) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
  f.write("not read by the panel");
}

template <class T>
T* child(QWidget* w, const char* name) {
  T* c = w->findChild<T*>(QLatin1String(name));
  if (!c) qFatal("no child %s", name);
  return c;
}

// The panel's undo wiring, as the main window has it for a free panel.
void record_edits(PromptPanel* panel, QUndoStack* undo) {
  QObject::connect(panel, &PromptPanel::paramsCommitted, undo,
                   [panel, undo](const GenerationParams& before, const GenerationParams& after) {
                     undo->push(new ParamsCommand(panel, before, after, describe_change(before, after)));
                   });
}

// Each row shows its entry: name, path in the tooltip, strength, enable box, and
// up/down only where the row can move.
void check_rows(LoRAListWidget* list) {
  const QList<LoRAEntry> entries = list->entries();
  QCOMPARE(list->findChildren<QWidget*>(QStringLiteral("loraRow"), Qt::FindDirectChildrenOnly).size(), entries.size());
  QCOMPARE(child<QLabel>(list, "loraPlaceholder")->isVisibleTo(list), entries.isEmpty());
  for (int i = 0; i < entries.size(); ++i) {
    QWidget* row = list->row(i);
    QVERIFY(row);
    QCOMPARE(child<QLabel>(row, "loraName")->text(), QFileInfo(entries[i].path).completeBaseName());
    QVERIFY(child<QLabel>(row, "loraName")->toolTip().contains(entries[i].path));
    QCOMPARE(child<QDoubleSpinBox>(row, "loraStrength")->value(), std::round(entries[i].strength * 100) / 100);
    QCOMPARE(child<QCheckBox>(row, "loraEnabled")->isChecked(), entries[i].enabled);
    QCOMPARE(child<QToolButton>(row, "loraUp")->isEnabled(), i > 0);
    QCOMPARE(child<QToolButton>(row, "loraDown")->isEnabled(), i + 1 < entries.size());
  }
}

#define CHECK_ROWS(list)                      \
  do {                                        \
    check_rows(list);                         \
    if (QTest::currentTestFailed()) return;   \
  } while (false)

// Drops `mime` on `list` at height `y`; whether the list took it.
bool drop(LoRAListWidget* list, QMimeData* mime, int y) {
  const QPoint at(list->width() / 2, y);
  QDragEnterEvent enter(at, Qt::CopyAction | Qt::MoveAction, mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(list, &enter);
  if (!enter.isAccepted()) return false;
  QDragMoveEvent move(at, Qt::CopyAction | Qt::MoveAction, mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(list, &move);
  QDropEvent dropped(QPointF(at), Qt::CopyAction | Qt::MoveAction, mime, Qt::LeftButton, Qt::NoModifier);
  QCoreApplication::sendEvent(list, &dropped);
  return dropped.isAccepted();
}

QMimeData* files_mime(const QStringList& files) {
  auto* mime = new QMimeData;
  QList<QUrl> urls;
  for (const QString& f : files) urls << QUrl::fromLocalFile(f);
  mime->setUrls(urls);
  return mime;
}

QStringList paths(const QList<LoRAEntry>& entries) {
  QStringList out;
  for (const LoRAEntry& e : entries) out << QFileInfo(e.path).fileName();
  return out;
}

QString style_lora() { return QStringLiteral(DC_TEST_DATA_DIR "/flux_lora/tiny-dcgen-flux/style.safetensors"); }

}  // namespace

class LoRAListTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<QTemporaryDir> dir_;

  QString file(const QString& name) const { return QDir::cleanPath(dir_->filePath(name)); }

  std::unique_ptr<MainWindow> makeWindow() { return test::open_main_window(dir_->path()); }

 private Q_SLOTS:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    for (const char* name : {"a.safetensors", "b.safetensors", "c.safetensors", "notes.txt"}) touch(file(QLatin1String(name)));
    AppSettings s;
    s.model_folders = {test::tiny_pipelines_folder()};
    s.output_folder = file(QStringLiteral("out"));
    s.lora_folder = dir_->path();
    s.device = QStringLiteral("cpu");
    test::write_settings(file(QStringLiteral("data")), s);
  }

  void cleanup() { dir_.reset(); }

  void listEditsAreUndoSteps() {
    PromptPanel panel;
    QUndoStack undo;
    record_edits(&panel, &undo);
    panel.resize(420, 900);
    panel.show();  // clicks land on laid-out buttons
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    LoRAListWidget* list = panel.loraList();
    QList<GenerationParams> states{panel.params()};  // after each undo step
    QStringList texts;
    auto step = [&](const QString& text) {
      QCOMPARE(undo.count(), states.size());
      QCOMPARE(undo.undoText(), text);
      states << panel.params();
      texts << text;
    };
    CHECK_ROWS(list);

    // What the file dialog and drops call: a text file and a file listed twice are left out.
    list->addFiles({file("a.safetensors"), file("b.safetensors"), file("notes.txt"), file("a.safetensors")});
    QCOMPARE(paths(list->entries()), (QStringList{"a.safetensors", "b.safetensors"}));
    QCOMPARE(list->entries()[0].strength, 1.0);
    QVERIFY(list->entries()[0].enabled);
    step(QStringLiteral("Add 2 LoRAs"));
    CHECK_ROWS(list);
    list->addFiles({file("c.safetensors")});
    step(QStringLiteral("Add LoRA c"));
    list->addFiles({file("b.safetensors")});  // already listed: no edit
    QCOMPARE(undo.count(), 2);

    // Strength arrows settle like typing: two presses, one step.
    QCoreApplication::processEvents();  // lays out the new rows
    auto* strength = child<QDoubleSpinBox>(list->row(1), "loraStrength");
    QTest::keyClick(strength, Qt::Key_Down);
    QTest::keyClick(strength, Qt::Key_Down);
    QTRY_COMPARE(undo.count(), 3);
    QCOMPARE(list->entries()[1].strength, 0.9);
    step(QStringLiteral("Change strength of LoRA b"));
    CHECK_ROWS(list);

    QTest::mouseClick(child<QCheckBox>(list->row(0), "loraEnabled"), Qt::LeftButton);
    QVERIFY(!list->entries()[0].enabled);
    step(QStringLiteral("Disable LoRA a"));
    CHECK_ROWS(list);

    QTest::mouseClick(child<QToolButton>(list->row(2), "loraUp"), Qt::LeftButton);
    QCOMPARE(paths(list->entries()), (QStringList{"a.safetensors", "c.safetensors", "b.safetensors"}));
    QCOMPARE(list->entries()[2].strength, 0.9);  // the row's values move with it
    step(QStringLiteral("Reorder LoRAs"));
    CHECK_ROWS(list);

    QTest::mouseClick(child<QToolButton>(list->row(0), "loraRemove"), Qt::LeftButton);
    QCOMPARE(paths(list->entries()), (QStringList{"c.safetensors", "b.safetensors"}));
    step(QStringLiteral("Remove LoRA a"));
    CHECK_ROWS(list);

    // Undo walks back through every state, redo forward again; applying them is no edit.
    for (int k = states.size() - 2; k >= 0; --k) {
      undo.undo();
      QCOMPARE(panel.params(), states[k]);
      CHECK_ROWS(list);
    }
    for (int k = 1; k < states.size(); ++k) {
      undo.redo();
      QCOMPARE(panel.params(), states[k]);
      QCOMPARE(undo.text(k - 1), texts[k - 1]);
      CHECK_ROWS(list);
    }
    QTest::qWait(800);
    QCOMPARE(undo.count(), states.size() - 1);
  }

  void aListEditSettlesAPendingEditFirst() {
    PromptPanel panel;
    QUndoStack undo;
    record_edits(&panel, &undo);
    QTest::keyClicks(child<QPlainTextEdit>(&panel, "prompt"), QStringLiteral("a fox"));
    panel.loraList()->addFiles({file("a.safetensors")});  // before the typing pause ends
    QCOMPARE(undo.count(), 2);
    QCOMPARE(undo.text(0), QStringLiteral("Edit prompt"));
    QCOMPARE(undo.text(1), QStringLiteral("Add LoRA a"));
    undo.undo();
    QCOMPARE(panel.params().prompt, QStringLiteral("a fox"));
    QVERIFY(panel.params().loras.isEmpty());
  }

  void strengthRangeAndDoubleClickReset() {
    PromptPanel panel;
    QUndoStack undo;
    record_edits(&panel, &undo);
    LoRAListWidget* list = panel.loraList();
    list->addFiles({file("a.safetensors")});
    auto* spin = child<QDoubleSpinBox>(list->row(0), "loraStrength");
    QCOMPARE(spin->minimum(), -4.0);
    QCOMPARE(spin->maximum(), 4.0);
    QCOMPARE(spin->singleStep(), 0.05);
    list->setEntryStrength(0, 9.0);
    QCOMPARE(list->entries()[0].strength, 4.0);  // clamped like the spin box
    QTRY_COMPARE(undo.count(), 2);
    spin->setValue(-2.35);
    QCOMPARE(list->entries()[0].strength, -2.35);
    QTRY_COMPARE(undo.count(), 2);  // merged: the same field's edit continued
    QTest::mouseDClick(spin->findChild<QLineEdit*>(), Qt::LeftButton);
    QCOMPARE(list->entries()[0].strength, 1.0);
    QTRY_COMPARE(panel.params().loras[0].strength, 1.0);
    undo.undo();
    QCOMPARE(panel.params().loras[0].strength, 1.0);  // the whole strength edit (from 1) was one step
    QCOMPARE(undo.undoText(), QStringLiteral("Add LoRA a"));
  }

  void dropsInsertFilesAndMoveRows() {
    PromptPanel panel;
    QUndoStack undo;
    record_edits(&panel, &undo);
    panel.resize(420, 900);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    LoRAListWidget* list = panel.loraList();

    // On the empty list: anywhere.
    std::unique_ptr<QMimeData> text_only(files_mime({file("notes.txt")}));
    QVERIFY(!drop(list, text_only.get(), 5));
    std::unique_ptr<QMimeData> two(files_mime({file("a.safetensors"), file("b.safetensors")}));
    QVERIFY(drop(list, two.get(), 5));
    QCOMPARE(paths(list->entries()), (QStringList{"a.safetensors", "b.safetensors"}));
    QCOMPARE(undo.undoText(), QStringLiteral("Add 2 LoRAs"));
    QCoreApplication::processEvents();  // layout of the new rows

    // Dropped on the upper half of row 1: goes before it; files that are missing or not LoRAs are left out.
    std::unique_ptr<QMimeData> mixed(files_mime({file("notes.txt"), file("gone.safetensors"), file("c.safetensors")}));
    QVERIFY(drop(list, mixed.get(), list->row(1)->geometry().top() + 2));
    QCOMPARE(paths(list->entries()), (QStringList{"a.safetensors", "c.safetensors", "b.safetensors"}));
    QCoreApplication::processEvents();
    CHECK_ROWS(list);

    // A row dragged below the last row moves to the end; one from another list is refused.
    std::unique_ptr<QMimeData> row0(list->rowMimeData(0));
    QVERIFY(drop(list, row0.get(), list->row(2)->geometry().bottom() - 1));
    QCOMPARE(paths(list->entries()), (QStringList{"c.safetensors", "b.safetensors", "a.safetensors"}));
    QCOMPARE(undo.undoText(), QStringLiteral("Reorder LoRAs"));
    LoRAListWidget other;
    other.setEntries({{file("a.safetensors"), 1.0, true}});
    std::unique_ptr<QMimeData> foreign(other.rowMimeData(0));
    QVERIFY(!drop(list, foreign.get(), 5));
    // A row dropped where it is changes nothing.
    std::unique_ptr<QMimeData> row1(list->rowMimeData(1));
    const int count = undo.count();
    QVERIFY(drop(list, row1.get(), list->row(1)->geometry().center().y() - 1));
    QCOMPARE(undo.count(), count);
    undo.undo();
    QCOMPARE(paths(list->entries()), (QStringList{"a.safetensors", "c.safetensors", "b.safetensors"}));
    CHECK_ROWS(list);
  }

  void missingFilesShowRedAndOnlyEnabledExistingOnesAreSent() {
    GenerationParams p;
    p.model_folder = test::tiny_pipeline();
    p.loras = {{file("a.safetensors"), 0.8, true},
               {file("gone.safetensors"), 1.0, true},
               {file("c.safetensors"), 1.5, false},
               {file("b.safetensors"), -0.5, true}};
    PromptPanel panel;
    panel.setParams(p);
    QCOMPARE(panel.params(), p);  // listed and kept, even when not sent
    CHECK_ROWS(panel.loraList());
    auto* missing = child<QLabel>(panel.loraList()->row(1), "loraName");
    auto* present = child<QLabel>(panel.loraList()->row(0), "loraName");
    QVERIFY(panel.loraList()->row(1)->property("missing").toBool());
    QVERIFY(!panel.loraList()->row(0)->property("missing").toBool());
    QVERIFY(missing->toolTip().contains(QLatin1String("not found")));
    const QColor red = missing->palette().color(QPalette::WindowText);
    QVERIFY(red.red() > 150 && red.green() < 100 && red.blue() < 100);
    QVERIFY(present->palette().color(QPalette::WindowText) != red);

    const engine::JobSpec spec = to_job_spec(p);
    QCOMPARE(spec.loras.size(), 2u);
    QCOMPARE(QString::fromStdString(spec.loras[0].file.string()), file("a.safetensors"));
    QCOMPARE(spec.loras[0].strength, 0.8);
    QCOMPARE(QString::fromStdString(spec.loras[1].file.string()), file("b.safetensors"));
    QCOMPARE(spec.loras[1].strength, -0.5);
    // The queue's one-line summary names what will be applied, nothing else.
    QVERIFY2(summary_line(p).endsWith(QStringLiteral(" · a:0.8, b:-0.5")), qPrintable(summary_line(p)));
    p.loras.clear();
    QVERIFY(to_job_spec(p).loras.empty());
    QVERIFY(!summary_line(p).contains(QLatin1String("a:")));
  }

  void paramsJsonKeepsLoRAsAndReadsOldFiles() {
    GenerationParams p;
    p.model_folder = QStringLiteral("/models/m");
    p.prompt = QStringLiteral("x");
    p.seed = 5;
    p.loras = {{QStringLiteral("/l/ünï.safetensors"), -3.95, true}, {QStringLiteral("/l/b.safetensors"), 0.05, false}};
    QString error;
    const QJsonObject json = to_json(p);
    std::optional<GenerationParams> back = params_from_json(json, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, p);
    // Through text, as queue.json and gallery.json hold it.
    back = params_from_json(QJsonDocument::fromJson(QJsonDocument(json).toJson()).object(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, p);

    QJsonObject old = json;  // written before LoRAs existed
    old.remove(QStringLiteral("loras"));
    back = params_from_json(old, &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(back->loras.isEmpty());
    QCOMPARE(back->prompt, p.prompt);

    QJsonObject no_enabled = json;  // "enabled" may be left out
    no_enabled[QStringLiteral("loras")] = QJsonArray{QJsonObject{{"path", "/l/c.safetensors"}, {"strength", 0.5}}};
    back = params_from_json(no_enabled, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->loras, (QList<LoRAEntry>{{QStringLiteral("/l/c.safetensors"), 0.5, true}}));

    for (const QJsonValue& bad : {QJsonValue(3), QJsonValue(QJsonArray{QJsonObject{{"strength", 1}}}),
                                  QJsonValue(QJsonArray{QJsonObject{{"path", "/x.safetensors"}, {"strength", "1"}}}),
                                  QJsonValue(QJsonArray{QJsonObject{{"path", "/x.safetensors"}, {"strength", 1}, {"enabled", 1}}}),
                                  QJsonValue(QJsonArray{5})}) {
      QJsonObject broken = json;
      broken[QStringLiteral("loras")] = bad;
      error.clear();
      QVERIFY(!params_from_json(broken, &error));
      QVERIFY2(error.contains(QLatin1String("\"loras\"")), qPrintable(error));
    }
  }

  void shotsKeepLoRAs() {
    const QString project_file = file("film/film.dcproj");
    const QString inside = file("film/loras/in.safetensors");
    touch(inside);
    GenerationParams p;
    p.model_folder = test::tiny_pipeline();
    p.prompt = QStringLiteral("a lighthouse");
    p.loras = {{inside, 0.7, true}, {file("a.safetensors"), -1.25, true}, {file("b.safetensors"), 2.0, false}};

    project::Project proj;
    ShotDraft draft = shot_from_params(proj, p, project_file);
    // Inside the project's folder: relative; outside: absolute; disabled: not the shot's.
    QCOMPARE(draft.shot.loras, (std::vector<project::LoRARef>{{"loras/in.safetensors", 0.7},
                                                               {file("a.safetensors").toStdString(), -1.25}}));
    QVERIFY(draft.new_model);
    proj.models.push_back(*draft.new_model);
    proj.shots.push_back(draft.shot);
    QDir().mkpath(file("film"));
    QVERIFY(project::save_project_atomic(proj, project_file.toStdString()).ok());
    Result<project::Project> loaded = project::load_project(project_file.toStdString());
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->shots[0].loras, draft.shot.loras);

    // Back to the panel: absolute, enabled, in order.
    const GenerationParams from = params_from_shot(*loaded, loaded->shots[0], project_file);
    QCOMPARE(from.loras, (QList<LoRAEntry>{{inside, 0.7, true}, {file("a.safetensors"), -1.25, true}}));
    // A panel showing the same enabled LoRAs keeps its list (the disabled row stays) ...
    QCOMPARE(params_showing_shot(*loaded, loaded->shots[0], -1, p, project_file).loras, p.loras);
    // ... one showing others shows the shot's.
    GenerationParams other = p;
    other.loras[1].strength = 0.3;
    QCOMPARE(params_showing_shot(*loaded, loaded->shots[0], -1, other, project_file).loras, from.loras);

    // An edit keeps how the project spells a file: here an absolute path inside its folder.
    project::Shot spelled = loaded->shots[0];
    spelled.loras[0].path = inside.toStdString();
    GenerationParams edited = p;
    edited.loras[0].strength = 0.5;
    const ShotDraft after = shot_with_params(*loaded, spelled, -1, edited, project_file);
    QCOMPARE(after.shot.loras[0], (project::LoRARef{inside.toStdString(), 0.5}));
    QCOMPARE(after.shot.loras[1], spelled.loras[1]);

    // Never saved: absolute paths.
    QCOMPARE(shot_from_params({}, p, QString()).shot.loras[0].path, inside.toStdString());
  }

  void aLinkedShotFollowsLoRAEditsAndTheirUndo() {
    auto w = makeWindow();
    PromptPanel* panel = w->promptPanel();
    GenerationParams p = panel->params();
    p.loras = {{file("a.safetensors"), 1.0, true}, {file("b.safetensors"), 0.5, true}};
    panel->setParams(p);
    w->addShotFromPanel();
    ProjectDocument* doc = w->projectDocument();
    QCOMPARE(doc->project().shots.size(), 1u);
    QCOMPARE(doc->project().shots[0].loras.size(), 2u);
    w->timelineModel()->selectShot(0);
    QVERIFY(w->promptShotLink()->isLinked());
    QUndoStack* undo = w->undoStack();
    const int start = undo->count();

    LoRAListWidget* list = panel->loraList();
    list->setEntryEnabled(1, false);
    QCOMPARE(doc->project().shots[0].loras,
             (std::vector<project::LoRARef>{{file("a.safetensors").toStdString(), 1.0}}));
    QCOMPARE(list->count(), 2);  // the panel keeps the disabled row
    QVERIFY(!list->entries()[1].enabled);
    QVERIFY(w->promptShotLink()->isLinked());
    list->setEntryStrength(0, 0.25);
    QTRY_COMPARE(doc->project().shots[0].loras[0].strength, 0.25);
    QCOMPARE(undo->count(), start + 2);
    QVERIFY(undo->undoText().contains(QLatin1String("Change strength of LoRA a")));

    undo->undo();
    QCOMPARE(doc->project().shots[0].loras[0].strength, 1.0);
    QCOMPARE(panel->params().loras[0].strength, 1.0);
    undo->undo();
    QCOMPARE(doc->project().shots[0].loras.size(), 2u);
    QCOMPARE(panel->params().loras, p.loras);  // the shot's LoRAs, both enabled again
    undo->redo();
    QCOMPARE(doc->project().shots[0].loras.size(), 1u);
  }

  void reopenParametersRestoresLoRAs() {
    auto w = makeWindow();
    GenerationParams made = w->promptPanel()->params();
    made.prompt = QStringLiteral("from the gallery");
    made.loras = {{file("b.safetensors"), 0.6, true}, {file("a.safetensors"), 1.1, false}};
    w->galleryModel()->add({file("img.png"), made, QDateTime::currentDateTime(), {}});
    w->galleryView()->reopenParameters(0);
    QCOMPARE(w->promptPanel()->params().loras, made.loras);
    CHECK_ROWS(w->promptPanel()->loraList());
    w->undoStack()->undo();
    QVERIFY(w->promptPanel()->params().loras.isEmpty());
  }

  void generatingWithALoRANamesItInThePng() {
    if (!QFileInfo::exists(style_lora())) QSKIP("no LoRA for the tiny pipeline in tests/data/flux_lora");
    auto w = makeWindow();
    PromptPanel* panel = w->promptPanel();
    GenerationParams p = panel->params();
    QCOMPARE(p.model_folder, QFileInfo(test::tiny_pipeline()).absoluteFilePath());
    p.prompt = QStringLiteral("a small red circle");
    p.steps = 2;
    p.width = p.height = 64;
    p.seed = 7;
    // Sent: style at 0.8. Not sent: a disabled LoRA and a missing one.
    p.loras = {{file("a.safetensors"), 1.0, false}, {style_lora(), 0.8, true}, {file("gone.safetensors"), 1.0, true}};
    panel->setParams(p);
    panel->setSeedLocked(true);
    w->generate();
    QCOMPARE(w->queueModel()->rowCount(), 1);
    // The missing one is named in a notice, not silently dropped.
    QVERIFY2(w->noticeBar()->text().contains(QLatin1String("gone.safetensors")), qPrintable(w->noticeBar()->text()));
    QVERIFY(!w->noticeBar()->text().contains(QLatin1String("a.safetensors")));  // disabled: nothing to say
    auto finished = [&] {
      const QueueState s = w->queueModel()->entries().front().state;
      return s != QueueState::kQueued && s != QueueState::kRunning;
    };
    QTRY_VERIFY_WITH_TIMEOUT(finished(), kJobTimeoutMs);
    const QueueEntry& entry = w->queueModel()->entries().front();
    QVERIFY2(entry.state == QueueState::kDone, qPrintable(entry.error));  // a file sent that should not be fails it
    QCOMPARE(w->galleryModel()->rowCount(), 1);
    const GalleryItem* item = w->galleryModel()->item(0);
    QCOMPARE(item->params.loras, p.loras);  // "reopen parameters" gets the list back

    const QImage png(item->file);
    const QString parameters = png.text(QStringLiteral("parameters"));
    QVERIFY2(parameters.startsWith(QLatin1String("a small red circle <lora:style:0.8>\n")), qPrintable(parameters));
    QVERIFY2(parameters.contains(QLatin1String("Lora hashes: \"style: d1a241724f54\"")), qPrintable(parameters));
    QVERIFY(!parameters.contains(QLatin1String("gone")));
    const QJsonObject json = QJsonDocument::fromJson(png.text(QStringLiteral("dcstudio")).toUtf8()).object();
    const QJsonArray loras = json.value(QStringLiteral("loras")).toArray();
    QCOMPARE(loras.size(), 1);
    QCOMPARE(loras[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("style"));
    QCOMPARE(loras[0].toObject().value(QStringLiteral("strength")).toDouble(), 0.8);

    // The command line with the same LoRA makes the same pixels and says the same.
    const QString cli_out = file(QStringLiteral("cli.png"));
    QProcess dcgen;
    dcgen.start(QStringLiteral(DCGEN_PATH),
                {QStringLiteral("generate"), QStringLiteral("--model"), test::tiny_pipeline(), QStringLiteral("--prompt"),
                 p.prompt, QStringLiteral("--seed"), QStringLiteral("7"), QStringLiteral("--steps"), QStringLiteral("2"),
                 QStringLiteral("--width"), QStringLiteral("64"), QStringLiteral("--height"), QStringLiteral("64"),
                 QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--lora"),
                 style_lora() + QStringLiteral(":0.8"), QStringLiteral("--out"), cli_out});
    QVERIFY(dcgen.waitForFinished(kJobTimeoutMs));
    QVERIFY2(dcgen.exitCode() == 0, dcgen.readAllStandardError().constData());
    const QImage cli(cli_out);
    QCOMPARE(cli.convertToFormat(QImage::Format_RGB888), png.convertToFormat(QImage::Format_RGB888));
    QCOMPARE(cli.text(QStringLiteral("parameters")), parameters);
  }

  void settingsHoldALoRAFolder() {
    QSettings store(file(QStringLiteral("data/settings.ini")), QSettings::IniFormat);
    AppSettings s = load_settings(store, QString());
    QCOMPARE(s.lora_folder, dir_->path());  // written by init()
    SettingsDialog dialog(s);
    QCOMPARE(child<QLineEdit>(&dialog, "loraFolder")->text(), dir_->path());
    child<QLineEdit>(&dialog, "loraFolder")->setText(QStringLiteral("  /loras  "));
    QCOMPARE(dialog.settings().lora_folder, QStringLiteral("/loras"));
    s.lora_folder.clear();  // optional: an old settings file has none
    save_settings(store, s);
    QCOMPARE(load_settings(store, QString()).lora_folder, QString());
  }

  void screenshotOfThePanelWithTwoLoRAs() {
    touch(file("loras/watercolor-style-v2.safetensors"));
    touch(file("loras/film_grain.safetensors"));
    PromptPanel panel;
    panel.setModels({{QStringLiteral("tiny-dcgen-flux"), test::tiny_pipeline()}});
    GenerationParams p = panel.params();
    p.prompt = QStringLiteral("a lighthouse on a cliff at dusk, waves below");
    p.steps = 28;
    p.seed = 42;
    p.loras = {{file("loras/watercolor-style-v2.safetensors"), 0.8, true}, {file("loras/film_grain.safetensors"), -0.35, true}};
    panel.setParams(p);
    panel.resize(400, 760);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    CHECK_ROWS(panel.loraList());
    QVERIFY(panel.loraList()->row(1)->geometry().bottom() < panel.loraList()->height());  // both rows laid out
    test::save_screenshot(&panel, QStringLiteral("prompt_panel_loras"));
  }
};

DC_UI_TEST(LoRAListTest);

}  // namespace dc::ui

#include "lora_list_test.moc"
