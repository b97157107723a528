// The UI's models and files without widgets: parameters <-> JSON and JobSpec,
// the queue model and queue.json, gallery.json, tensor -> QImage, the model catalog.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <limits>

#include "tests/ui/ui_test_registry.h"
#include "tests/ui/ui_test_support.h"
#include "ui/bridge/image_metadata.h"
#include "ui/bridge/tensor_image.h"
#include "ui/gallery/gallery_store.h"
#include "ui/prompt/model_catalog.h"
#include "ui/queue/queue_store.h"
#include "ui/queue/render_queue_model.h"

namespace dc::ui {
namespace {

GenerationParams sample_params(const QString& prompt) {
  GenerationParams p;
  p.model_folder = QStringLiteral("/models/DC-Gen-FLUX.1-Krea-Dev-Res1K");
  p.prompt = prompt;
  p.negative_prompt = QStringLiteral("blurry, ünïcödé");
  p.true_cfg_scale = 5.5;
  p.guidance = 2.25;
  p.steps = 17;
  p.schedule = QStringLiteral("flux2");
  p.width = 1344;
  p.height = 768;
  p.batch = 3;
  p.seed = std::numeric_limits<quint64>::max();  // beyond a double's exact range
  return p;
}

void write_text(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(bytes);
}

}  // namespace

class UiModelsTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void paramsSurviveJson() {
    const GenerationParams p = sample_params(QStringLiteral("a lighthouse at dusk"));
    QString error;
    const std::optional<GenerationParams> back = params_from_json(to_json(p), &error);
    QVERIFY2(back.has_value(), qPrintable(error));
    QCOMPARE(*back, p);
  }

  void paramsJsonNamesTheBadField() {
    QJsonObject json = to_json(sample_params(QStringLiteral("x")));
    json.insert(QStringLiteral("steps"), QStringLiteral("many"));
    QString error;
    QVERIFY(!params_from_json(json, &error).has_value());
    QVERIFY2(error.contains(QLatin1String("steps")), qPrintable(error));
    json = to_json(sample_params(QStringLiteral("x")));
    json.insert(QStringLiteral("seed"), QStringLiteral("-3"));
    QVERIFY(!params_from_json(json, &error).has_value());
    QVERIFY2(error.contains(QLatin1String("seed")), qPrintable(error));
    json = to_json(sample_params(QStringLiteral("x")));
    json.insert(QStringLiteral("schedule"), QStringLiteral("karras"));
    QVERIFY(!params_from_json(json, &error).has_value());
    QVERIFY2(error.contains(QLatin1String("schedule")), qPrintable(error));
    // Written before samplers and schedules were kept: the defaults.
    json = to_json(sample_params(QStringLiteral("x")));
    json.remove(QStringLiteral("sampler"));
    json.remove(QStringLiteral("schedule"));
    const std::optional<GenerationParams> old = params_from_json(json, &error);
    QVERIFY2(old.has_value(), qPrintable(error));
    QCOMPARE(old->schedule, QStringLiteral("auto"));
    QCOMPARE(old->sampler, QStringLiteral("flow_match_euler"));
  }

  void jobSpecCarriesEveryParameter() {
    GenerationParams p = sample_params(QStringLiteral("a red fox"));
    engine::JobSpec spec = to_job_spec(p);
    QCOMPARE(QString::fromStdString(spec.model_folder.string()), p.model_folder);
    QCOMPARE(QString::fromStdString(spec.request.prompt), p.prompt);
    QCOMPARE(QString::fromStdString(spec.request.negative_prompt), p.negative_prompt);
    QCOMPARE(spec.request.true_cfg_scale, 5.5f);
    QCOMPARE(spec.request.guidance, 2.25f);
    QCOMPARE(spec.request.steps, 17);
    QCOMPARE(spec.request.width, 1344);
    QCOMPARE(spec.request.height, 768);
    QCOMPARE(spec.request.batch, 3);
    QCOMPARE(spec.request.seed, p.seed);
    QCOMPARE(spec.request.shift, pipeline::SigmaShift::kFlux2);
    QVERIFY(spec.request.preview_every > 0);
    p.schedule = QStringLiteral("auto");
    QCOMPARE(to_job_spec(p).request.shift, pipeline::SigmaShift::kAuto);
    p.schedule = QStringLiteral("flux");
    QCOMPARE(to_job_spec(p).request.shift, pipeline::SigmaShift::kFlux);
    p.negative_prompt.clear();  // no negative prompt: no true CFG, as dcgen generate
    QCOMPARE(to_job_spec(p).request.true_cfg_scale, 1.0f);
  }

  void queueModelMovesRetriesAndTakes() {
    RenderQueueModel model;
    QSignalSpy changed(&model, &RenderQueueModel::changed);
    const QUuid a = model.enqueue(sample_params(QStringLiteral("a")));
    const QUuid b = model.enqueue(sample_params(QStringLiteral("b")));
    const QUuid c = model.enqueue(sample_params(QStringLiteral("c")));
    QCOMPARE(changed.count(), 3);
    QVERIFY(model.move(0, 2));  // a runs last
    QCOMPARE(model.entries()[0].id, b);
    QCOMPARE(model.entries()[1].id, c);
    QCOMPARE(model.entries()[2].id, a);
    QVERIFY(!model.move(0, 3));
    QVERIFY(model.move(2, 0));
    QCOMPARE(model.rowOf(a), 0);

    model.setState(a, QueueState::kFailed, QStringLiteral("no such folder"));
    QCOMPARE(model.nextQueuedRow(), std::optional<int>(1));
    QCOMPARE(model.index(0).data(RenderQueueModel::kErrorRole).toString(), QStringLiteral("no such folder"));
    QVERIFY(!model.retry(1));  // queued: nothing to retry
    QVERIFY(model.retry(0));
    QCOMPARE(model.entries()[0].state, QueueState::kQueued);
    QVERIFY(model.entries()[0].error.isEmpty());

    const std::optional<QueueEntry> taken = model.take(1);
    QVERIFY(taken.has_value());
    QCOMPARE(taken->id, b);
    QCOMPARE(model.rowCount(), 2);
    model.insert(1, *taken);
    QCOMPARE(model.entries()[1], *taken);
  }

  void queueFileKeepsJobsAndRequeuesTheRunningOne() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("queue.json"));
    Result<QList<QueueEntry>> absent = load_queue(path);
    QVERIFY(absent.ok());
    QVERIFY(absent->isEmpty());

    QList<QueueEntry> entries(4);
    const QueueState states[] = {QueueState::kDone, QueueState::kRunning, QueueState::kQueued, QueueState::kFailed};
    for (int i = 0; i < 4; ++i) {
      entries[i].params = sample_params(QStringLiteral("prompt %1").arg(i));
      entries[i].state = states[i];
    }
    entries[0].outputs = QStringList{QStringLiteral("/out/a.png"), QStringLiteral("/out/b.png")};
    entries[3].error = QStringLiteral("out of memory");
    entries[1].progress = 0.5;  // live only
    QVERIFY(save_queue(path, entries).ok());
    QVERIFY(!QDir(dir.path()).entryList(QDir::Hidden | QDir::Files).join(' ').contains(QLatin1String("tmp")));

    Result<QList<QueueEntry>> loaded = load_queue(path);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().to_string().c_str());
    QCOMPARE(loaded->size(), 4);
    entries[1].state = QueueState::kQueued;  // it had not finished
    entries[1].progress = 0;
    for (int i = 0; i < 4; ++i) QCOMPARE((*loaded)[i], entries[i]);
  }

  void brokenQueueFileIsAnErrorNamingIt() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("queue.json"));
    write_text(path, "{ not json");
    Result<QList<QueueEntry>> r = load_queue(path);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code(), ErrorCode::kFormat);
    QVERIFY(QString::fromStdString(r.error().to_string()).contains(path));
    write_text(path, R"({"format": "dcstudio-queue", "version": 99, "entries": []})");
    r = load_queue(path);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code(), ErrorCode::kNotSupported);
    write_text(path, R"({"format": "dcstudio-queue", "version": 1, "entries": [{"id": "nope"}]})");
    r = load_queue(path);
    QVERIFY(!r.ok());
    QVERIFY(QString::fromStdString(r.error().to_string()).contains(QLatin1String("entry 0")));
  }

  void galleryFileDropsImagesThatAreGone() {
    QTemporaryDir dir;
    const QString kept = dir.filePath(QStringLiteral("kept.png"));
    QImage image(8, 4, QImage::Format_RGB888);
    image.fill(Qt::red);
    QVERIFY(image.save(kept));
    QList<GalleryItem> items = {
        {kept, sample_params(QStringLiteral("kept")), QDateTime::currentDateTime().addSecs(-5), {}},
        {dir.filePath(QStringLiteral("deleted.png")), sample_params(QStringLiteral("gone")), QDateTime::currentDateTime(), {}},
    };
    const QString path = dir.filePath(QStringLiteral("gallery.json"));
    QVERIFY(save_gallery(path, items).ok());
    Result<QList<GalleryItem>> loaded = load_gallery(path);
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->size(), 1);
    QCOMPARE(loaded->front().file, kept);
    QCOMPARE(loaded->front().params, items.front().params);

    GalleryModel model;
    model.setItems(*loaded);
    QCOMPARE(model.item(0)->thumbnail.size(), QSize(8, 4));  // read back from the file
    QCOMPARE(model.index(0).data(GalleryModel::kSeedRole).toULongLong(), items.front().params.seed);
  }

  void tensorsBecomeImages() {
    // [2, 3, 1, 2]: values -1, 0, 1, beyond range and NaN.
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const Tensor t = Tensor::from_vector({-1, 1, 0, 0.5f, 2, nan, /* image 2 */ -3, -1, 1, 1, 0, 0}, {2, 3, 1, 2});
    const QList<QImage> images = images_from_tensor(t);
    QCOMPARE(images.size(), 2);
    QCOMPARE(images[0].size(), QSize(2, 1));
    QCOMPARE(images[0].pixel(0, 0), qRgb(0, 128, 255));  // R=-1, G=0, B=2 clamped
    QCOMPARE(images[0].pixel(1, 0), qRgb(255, 191, 0));  // R=1, G=0.5 -> 191.25, B=NaN -> 0
    QCOMPARE(images[1].pixel(0, 0), qRgb(0, 255, 128));
    QCOMPARE(images[1].pixel(1, 0), qRgb(0, 255, 128));
    QVERIFY(images_from_tensor(Tensor::from_vector({0, 0}, {1, 2, 1, 1})).isEmpty());  // not RGB
  }

  void catalogFindsPipelineFolders() {
    QTemporaryDir dir;
    QDir root(dir.path());
    for (const char* name : {"b-model", "a-model", "not-a-model"}) QVERIFY(root.mkpath(QLatin1String(name)));
    write_text(root.filePath(QStringLiteral("a-model/model_index.json")), "{}");
    write_text(root.filePath(QStringLiteral("b-model/model_index.json")), "{}");
    const QList<ModelEntry> found = find_pipelines({dir.path(), root.filePath(QStringLiteral("b-model")),
                                                    dir.filePath(QStringLiteral("missing")), test::tiny_pipeline()});
    QCOMPARE(found.size(), 3);
    QCOMPARE(found[0].name, QStringLiteral("a-model"));
    QCOMPARE(found[1].name, QStringLiteral("b-model"));  // listed once though named twice
    QCOMPARE(found[2].name, QStringLiteral("tiny-dcgen-flux"));
  }

  void pickerOffersTheEmbeddedDemoModelLast() {
    const QList<ModelEntry> models = available_models({test::tiny_pipeline()});
    QCOMPARE(models.size(), 2);
    QCOMPARE(models[0].name, QStringLiteral("tiny-dcgen-flux"));
    QCOMPARE(models[1].name, QStringLiteral("DC Studio demo model (colored shapes)"));  // its dcstudio.json label
    QVERIFY(QFileInfo(models[1].folder + QStringLiteral("/model_index.json")).isFile());
    // Listed by the user already: not twice.
    QCOMPARE(available_models({models[1].folder}).size(), 1);
  }

  void metadataHasTheFieldsDcgenWrites() {
    GenerationParams p = sample_params(QStringLiteral("a cat"));
    p.batch = 1;
    const engine::JobSpec spec = to_job_spec(p);
    engine::JobOutput output;
    output.model.name = "tiny-dcgen-flux";
    output.image.sigma_schedule = "flux2";
    output.image.max_sequence_length = 77;
    const auto meta = image_metadata(spec, output, 42, "cpu");
    const QString text = QString::fromStdString(meta.at("parameters"));
    QVERIFY2(text.startsWith(QStringLiteral("a cat\nNegative prompt: blurry, ünïcödé\nSteps: 17, Sampler: Euler (flow "
                                           "matching), Schedule type: flux2, CFG scale: 5.5, Distilled CFG Scale: 2.25, "
                                           "Seed: 42, Size: 1344x768, Model: tiny-dcgen-flux, Version: DC Studio ")),
             qPrintable(text));
    const QString json = QString::fromStdString(meta.at("dcstudio"));
    for (const char* key : {"\"seed\":42", "\"max_sequence_length\":77", "\"device\":\"cpu\"", "\"schedule\":\"flux2\""})
      QVERIFY2(json.contains(QLatin1String(key)), qPrintable(json));
  }
};

DC_UI_TEST(UiModelsTest);

}  // namespace dc::ui

#include "ui_models_test.moc"
