#!/usr/bin/env bash
# One stage of the full training on the GPU machine (the device tool's `run`), from the repository
# root. Two calls of under 10 minutes each (README.md, "Retrain"):
#   bash resources/demo_model/train/device_train.sh vae    # tokenizers + DC-AE  -> $OUT/stage_vae.tar
#   bash resources/demo_model/train/device_train.sh flux   # transformer + text encoders, export, eval
#                                                          #   -> $OUT/demo_model.tar.part-*
# The machine's python3 has torch and transformers but no diffusers: its wheel travels in
# work/wheels (carry it). DEMO_DEVICE=cpu and --smoke try the script on a CPU.
set -euo pipefail
stage=${1:?usage: device_train.sh vae|flux [train.py options]}
shift
here=resources/demo_model/train
work=$here/work/full
out=${OUT:-$here/work/out}
mkdir -p "$out" "$work"
if ! python3 -c "import diffusers" 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/dcgen-demo-site \
    $here/work/wheels/*.whl
  export PYTHONPATH=/tmp/dcgen-demo-site${PYTHONPATH:+:$PYTHONPATH}
fi
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
python3 -c "import torch, diffusers, transformers; print('torch', torch.__version__, 'diffusers', diffusers.__version__, 'transformers', transformers.__version__)"

# Without the tar (a fresh checkout), `--flux-init` rebuilds the stage from the shipped folder + record/.
if [ "$stage" = flux ] && [ ! -f $work/stage_vae/info.json ] && [ -f $here/work/stage_vae.tar ]; then
  tar -xf $here/work/stage_vae.tar -C $work
fi
python3 $here/train.py --device "${DEMO_DEVICE:-cuda}" --work $work --stage "$stage" "$@" 2>&1 | tee "$out/log_$stage.txt"

case $stage in
  vae)
    tar -cf "$out/stage_vae.tar" -C $work stage_vae
    cp $work/stage_vae/vae_samples.png "$out/" ;;
  flux)
    # One archive that unpacks in resources/demo_model/: the pipeline folder and the training record.
    pack=$work/pack
    rm -rf $pack && mkdir -p $pack/train/record
    cp -r $work/pipeline $pack/dc-gen-flux-demo
    cp $work/metrics.json $work/losses.csv $work/losses.png $work/stage_vae/vae_samples.png $work/eval/* \
      "$out/log_$stage.txt" $pack/train/record/
    tar -cf $work/demo_model.tar -C $pack dc-gen-flux-demo train
    split -b 15m -d $work/demo_model.tar "$out/demo_model.tar.part-"
    cp $work/metrics.json $work/eval/contact_sheet.png $work/losses.png "$out/" ;;
  *) echo "unknown stage $stage" >&2; exit 2 ;;
esac
ls -la "$out"
