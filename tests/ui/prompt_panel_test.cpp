// The prompt panel alone: parameters in and out, the seed lock, size presets,
// settled edits reported for undo.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

#include "tests/ui/ui_test_registry.h"
#include "ui/prompt/params_command.h"
#include "ui/prompt/prompt_panel.h"
#include "ui/prompt/size_presets.h"

namespace dc::ui {

class PromptPanelTest : public QObject {
  Q_OBJECT

 private:
  template <class T>
  static T* child(QWidget* w, const char* name) {
    T* c = w->findChild<T*>(QLatin1String(name));
    if (!c) qFatal("no child %s", name);
    return c;
  }

  static GenerationParams some_params() {
    GenerationParams p;
    p.model_folder = QStringLiteral("/models/b");
    p.prompt = QStringLiteral("a glass teapot on a wooden table");
    p.negative_prompt = QStringLiteral("text, watermark");
    p.true_cfg_scale = 6.0;
    p.guidance = 4.5;
    p.steps = 28;
    p.schedule = QStringLiteral("flux");
    p.width = 1152;
    p.height = 896;
    p.batch = 2;
    p.seed = 123456789012345ULL;
    return p;
  }

 private Q_SLOTS:
  void paramsGoInAndComeOut() {
    PromptPanel panel;
    panel.setModels({{QStringLiteral("a"), QStringLiteral("/models/a")}, {QStringLiteral("b"), QStringLiteral("/models/b")}});
    QCOMPARE(panel.params().model_folder, QStringLiteral("/models/a"));  // the first by default
    const GenerationParams p = some_params();
    panel.setParams(p);
    QCOMPARE(panel.params(), p);
    QCOMPARE(child<QComboBox>(&panel, "sizePreset")->currentText(), size_presets()[3].label);  // 1152 x 896
    QCOMPARE(child<QComboBox>(&panel, "schedule")->currentText(), QStringLiteral("FLUX resolution shift"));
    child<QComboBox>(&panel, "schedule")->setCurrentIndex(2);  // picked by the user
    QCOMPARE(panel.params().schedule, QStringLiteral("flux2"));
    panel.setParams(p);

    GenerationParams unknown = p;  // a folder no longer in the list stays usable
    unknown.model_folder = QStringLiteral("/elsewhere/c");
    panel.setParams(unknown);
    QCOMPARE(panel.params().model_folder, unknown.model_folder);
  }

  void unlockedSeedIsDrawnForEachGeneration() {
    PromptPanel panel;
    panel.setParams(some_params());
    auto* lock = child<QToolButton>(&panel, "seedLock");
    lock->setChecked(true);
    QCOMPARE(panel.paramsForGeneration().seed, some_params().seed);
    QCOMPARE(panel.paramsForGeneration().seed, some_params().seed);
    lock->setChecked(false);
    const quint64 first = panel.paramsForGeneration().seed;
    const quint64 second = panel.paramsForGeneration().seed;
    QVERIFY(first != some_params().seed || second != some_params().seed);
    QVERIFY(first != second);  // 2^-32 chance of a false failure
    QVERIFY(first < (Q_UINT64_C(1) << 32));
    QCOMPARE(child<QLineEdit>(&panel, "seed")->text(), QString::number(second));  // shown, so it can be re-made
  }

  void typingASeedLocksIt() {
    PromptPanel panel;
    auto* seed = child<QLineEdit>(&panel, "seed");
    seed->clear();
    QTest::keyClicks(seed, QStringLiteral("987"));
    QVERIFY(child<QToolButton>(&panel, "seedLock")->isChecked());
    QCOMPARE(panel.paramsForGeneration().seed, 987u);
    QTest::keyClicks(seed, QStringLiteral("x-"));  // the validator keeps digits only
    QCOMPARE(seed->text(), QStringLiteral("987"));
  }

  void presetsSetTheSizeAndCustomSizesShowCustom() {
    PromptPanel panel;
    auto* preset = child<QComboBox>(&panel, "sizePreset");
    auto* width = child<QSpinBox>(&panel, "width");
    auto* height = child<QSpinBox>(&panel, "height");
    int uhd = -1;
    for (int i = 0; i < size_presets().size(); ++i)
      if (size_presets()[i].width == 3840) uhd = i;
    QVERIFY(uhd >= 0);
    preset->setCurrentIndex(uhd);
    Q_EMIT preset->activated(uhd);
    QCOMPARE(width->value(), 3840);
    QCOMPARE(height->value(), 2176);
    QCOMPARE(size_presets().back().width, 4096);  // the largest preset: 4096 x 4096
    for (const SizePreset& p : size_presets()) QVERIFY(p.width % 64 == 0 && p.height % 64 == 0);
    height->setValue(64);
    QCOMPARE(preset->currentText(), tr("Custom"));
  }

  void trueCfgOnlyWithANegativePrompt() {
    PromptPanel panel;
    auto* cfg = child<QDoubleSpinBox>(&panel, "trueCfg");
    QVERIFY(!cfg->isEnabled());
    child<QPlainTextEdit>(&panel, "negativePrompt")->setPlainText(QStringLiteral("blur"));
    QVERIFY(cfg->isEnabled());
  }

  void settledEditsBecomeUndoSteps() {
    PromptPanel panel;
    QUndoStack undo;
    connect(&panel, &PromptPanel::paramsCommitted, &undo,
            [&](const GenerationParams& before, const GenerationParams& after) {
              undo.push(new ParamsCommand(&panel, before, after, describe_change(before, after)));
            });
    QSignalSpy commits(&panel, &PromptPanel::paramsCommitted);
    const GenerationParams start = panel.params();
    auto* prompt = child<QPlainTextEdit>(&panel, "prompt");
    QTest::keyClicks(prompt, QStringLiteral("a red"));
    QTRY_COMPARE(commits.count(), 1);  // one commit after the pause, not one per key
    QCOMPARE(undo.undoText(), QStringLiteral("Edit prompt"));
    QTest::keyClicks(prompt, QStringLiteral(" fox"));
    QTRY_COMPARE(commits.count(), 2);
    QCOMPARE(undo.count(), 1);  // continued typing merged into the same step
    child<QSpinBox>(&panel, "steps")->setValue(8);
    QTRY_COMPARE(undo.count(), 2);
    QCOMPARE(undo.undoText(), QStringLiteral("Change steps"));

    undo.undo();
    QCOMPARE(panel.params().steps, start.steps);
    QCOMPARE(panel.params().prompt, QStringLiteral("a red fox"));
    undo.undo();
    QCOMPARE(panel.params(), start);
    undo.redo();
    undo.redo();
    QCOMPARE(panel.params().steps, 8);
    QCOMPARE(panel.params().prompt, QStringLiteral("a red fox"));
    QTest::qWait(800);  // applying undo/redo is not itself an edit
    QCOMPARE(undo.count(), 2);
  }
};

DC_UI_TEST(PromptPanelTest);

}  // namespace dc::ui

#include "prompt_panel_test.moc"
