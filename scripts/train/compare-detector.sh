#!/usr/bin/env bash
# Judges a candidate detector against the committed one as models/HISTORY.md's sections did by hand,
# on 2 CPU cores in about an hour (less once the data exist):
#
#   bash scripts/train/compare-detector.sh CANDIDATE.pt WORK [--quick] [--baseline-committed]
#
# CANDIDATE.pt: train:detector's weights (the .pt beside its ONNX; a centre head in it is ignored).
# 1. The data of the model card's Reproduce section, generated where missing (folders under /tmp that
#    exist are reused; a half-written study is written again).
# 2. The candidate's speck-centre head (Reproduce step 2) into WORK/candidate, a copy of models/.
# 3. The patch hold-out (h91) at matched false marks per patch, both detectors (evaluate_patches.py).
#    --quick stops here: enough to rank several candidates before judging one on whole images.
# 4. Each detector's cluster reducers and speck certainties refitted on the same training studies
#    (Reproduce steps 4 and 8), so neither gains from data the other's was not fitted on; the
#    baseline's cache is kept between runs.
# 5. `npm run eval` on validation, hold-out, extended hold-out, film-tissue validation and mini-MIAS with each detector
#    and its refitted reducers at their own floors (the digital one raised to the real-tissue budget),
#    and bench:infer with each; WORK/summary.txt. Then `eval:unlabelled` on the FFDM sample with the
#    candidate's folder and floors: the synthetic sets do not show real-tissue false marks. Last,
#    `eval:compare` of each set's two reports: the gain with its paired 95 % interval.
# --baseline-committed takes the committed models' reports in models/eval/ as the baseline's instead
#    of refitting its reducers and evaluating it again (half the time, and no baseline heatmap cache).
#    It is only valid while the generator writes the same studies: eval:compare refuses reports
#    whose images or true clusters differ, and the script stops there.
# Nothing under models/ is changed: adopting the candidate is a separate, reviewed step.
set -euo pipefail
cd "$(dirname "$0")/../.."
USAGE="usage: compare-detector.sh CANDIDATE.pt WORK [--quick] [--baseline-committed]"
CANDIDATE=${1:?$USAGE}
WORK=${2:?$USAGE}
QUICK= COMMITTED=
for flag in "${@:3}"; do
  case $flag in
    --quick) QUICK=1 ;;
    --baseline-committed) COMMITTED=1 ;;
    *) echo "compare-detector: unknown option $flag; $USAGE" >&2; exit 1 ;;
  esac
done
PY=/usr/bin/python3
P=/tmp/mammocad-patches
MIAS=${MAMMOCAD_DATA_DIR:-../shared/data}/mini-mias-dev
BASE_CACHE=/tmp/mammocad-compare-baseline
HOLDOUT_X=/tmp/mammocad-holdout-extended # the hold-out's seeds 1001-1006 and 24 more: intervals a third as wide
[ -f "$CANDIDATE" ] || { echo "compare-detector: $CANDIDATE: no such file" >&2; exit 1; }
mkdir -p "$WORK"
# Step 4 caches each detector's heatmaps: about 50 GB for these studies (2026-12-05). Fail now, not an
# hour in with ENOSPC; the candidate's are deleted after its refits, the baseline's kept for the next run.
need_gb=105
[ -d $BASE_CACHE/heatmaps ] || [ -n "$COMMITTED" ] && need_gb=55
[ -n "$QUICK" ] && need_gb=0
free_gb=$(($(df --output=avail -k "$WORK" /tmp | tail -n +2 | sort -n | head -1) / 1048576))
[ "$free_gb" -ge "$need_gb" ] || { echo "compare-detector: $free_gb GB free under $WORK or /tmp, $need_gb GB needed for the heatmap caches" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$WORK/progress.log"; }

# --- 1. Data --------------------------------------------------------------------------------------
patches() { # NAME COUNT SEED [ARGS...]: a patch set, unless it is there
  local name=$1 count=$2 seed=$3
  shift 3
  [ -f $P/$name/meta.json ] || npx tsx scripts/synth/writePatches.ts --out $P/$name --count "$count" --seed "$seed" "$@" >/dev/null 2>&1
}
studies() { # DIR FROM TO: synth:study seeds FROM..TO into DIR/sN, skipping complete ones (4 images)
  local n
  for n in $(seq "$2" "$3"); do
    [ "$(ls "$1/s$n"/*.truth.json 2>/dev/null | wc -l)" = 4 ] && continue
    rm -rf "$1/s$n"
    npx tsx scripts/synth/writeStudy.ts --out "$1/s$n" --size 2000x1600 --seed "$n" --spacing 0.1 >/dev/null 2>&1
  done
}
film() { # DIR SEED: a film-tissue set
  [ -f "$1/.complete" ] && return
  rm -rf "$1"
  npx tsx scripts/synth/writeRealTissueImages.ts --out "$1" --seed "$2" >/dev/null 2>&1 && touch "$1/.complete"
}
log "data"
(patches h91 1000 91 --holdout
  patches p21 3000 21
  patches p22 3000 22
  patches m24 1500 24 --tissue mias
  [ -n "$QUICK" ] || { studies /tmp/mammocad-holdout-studies 1001 1006; studies $HOLDOUT_X 1001 1030; studies /tmp/mammocad-val-studies 501 512
    film /tmp/film-val 32; studies /tmp/mammocad-train-studies-b 2017 2048; }) &
lane=$!
patches p23 3000 23
patches m26 1500 26 --tissue mias
[ -f $P/h27/meta.json ] || npx tsx scripts/synth/writeDetectorHardNegatives.ts --out $P/h27 --count 1500 --seed 27 --tissue mias >/dev/null 2>&1
[ -n "$QUICK" ] || { studies /tmp/mammocad-train-studies 2001 2016; film /tmp/film-train 31; film /tmp/film-train-33 33; film /tmp/film-train-34 34; studies /tmp/mammocad-train-studies-b 2049 2080; }
wait $lane

# --- 2. The candidate's centre head ---------------------------------------------------------------
C=$WORK/candidate
if [ ! -f $C/mammocad-calc-detector.pt ] || [ "$CANDIDATE" -nt $C/mammocad-calc-detector.pt ]; then
  log "centre head"
  rm -rf $C "$WORK/centre-ck"
  mkdir -p $C
  cp models/*.json models/*.onnx $C/
  $PY scripts/train/train_centre_head.py --data $P/p21,$P/p22,$P/p23,$P/m24,$P/m26,$P/h27 --init "$CANDIDATE" \
    --out $C/mammocad-calc-detector.onnx --steps 4000 --half --ckpt-dir "$WORK/centre-ck" >"$WORK/centre-head.log" 2>&1
fi

# --- 3. Patch hold-out at matched false marks -----------------------------------------------------
log "patch hold-out"
for who in committed candidate; do
  ckpt=models/mammocad-calc-detector.pt
  [ $who = candidate ] && ckpt=$C/mammocad-calc-detector.pt
  $PY scripts/train/evaluate_patches.py --data $P/h91 --ckpt $ckpt --thresholds 0.5,0.8 --at-rates 0.01,0.035,0.1 \
    --json "$WORK/patches-$who.json" >/dev/null
done
$PY - "$WORK" <<'EOF' | tee "$WORK/summary.txt"
import json, sys
work = sys.argv[1]
print("patch hold-out h91: sensitivity at 0.01 / 0.035 / 0.1 false marks per patch")
for who in ("committed", "candidate"):
    r = json.load(open(f"{work}/patches-{who}.json"))["atRates"]
    print(f"  {who:10s}", " / ".join(f"{x['speckSensitivity']:.3f}" for x in r))
EOF
[ -n "$QUICK" ] && exit 0

# --- 4. Each detector's reducer refitted on the same studies --------------------------------------
refit() { # MODELDIR CACHE: writes MODELDIR's two reducers (the fine one, and the coarse one for film), then
  # its two speck certainties, which read the detector's peaks and the new reducers' clusters (Reproduce step 8)
  local common=(--settings 0.8@4 --setting 0.8@4 --max-speck-mm 6 --model-dir "$1" --cache "$2")
  npm run -s train:cluster-filter -- --train /tmp/mammocad-train-studies,/tmp/mammocad-train-studies-b,/tmp/film-train \
    --val /tmp/mammocad-val-studies --real-tissue /tmp/film-val "${common[@]}" --out "$1/mammocad-calc-cluster-filter.json" >"$1/refit.log" 2>&1
  npm run -s train:cluster-filter -- --train /tmp/film-train,/tmp/film-train-33,/tmp/film-train-34 --val /tmp/film-val \
    --floor-rate 0.25 "${common[@]}" --out "$1/mammocad-calc-cluster-filter-coarse.json" >"$1/refit-coarse.log" 2>&1
  # the production path at the refitted reducers' floors, as the evaluations below run it
  local fine coarse
  fine=$($PY -c "import json; print(json.load(open('$1/mammocad-calc-cluster-filter.json'))['training']['floor'])")
  coarse=$($PY -c "import json; print(json.load(open('$1/mammocad-calc-cluster-filter-coarse.json'))['training']['floor'])")
  echo "{\"inference\":{\"modelDir\":\"$1\",\"clusterFloor\":$fine,\"clusterFloorCoarse\":$coarse}}" >"$1/config.json"
  local certainty=(--config "$1/config.json" --cache "$2/speck-marks")
  npm run -s train:speck-certainty -- --train /tmp/mammocad-train-studies,/tmp/mammocad-train-studies-b --val /tmp/mammocad-val-studies \
    "${certainty[@]}" --out "$1/mammocad-calc-speck-certainty.json" >"$1/refit-certainty.log" 2>&1
  npm run -s train:speck-certainty -- --train /tmp/film-train --val /tmp/film-val \
    "${certainty[@]}" --out "$1/mammocad-calc-speck-certainty-coarse.json" >"$1/refit-certainty-coarse.log" 2>&1
}
B=$WORK/baseline
mkdir -p $B
cp models/*.json models/*.onnx $B/
log "reducer refits"
[ -n "$COMMITTED" ] || refit $B $BASE_CACHE
refit $C "$WORK/candidate-cache"
rm -rf "$WORK/candidate-cache/heatmaps" # a new candidate never reuses them

# --- 5. Whole images ------------------------------------------------------------------------------
log "evaluations"
floor() { # FILE: the floor the reducer $WORK/$who/FILE was fitted with
  $PY -c "import json; print(json.load(open('$WORK/$who/$1'))['training']['floor'])"
}
if [ -n "$COMMITTED" ]; then # the committed reports, under the names the loop below would give them (the FFDM exam, 4 images, is rerun there)
  cp models/eval/validation-synthetic.json "$WORK/baseline-mammocad-val-studies.json"
  cp models/eval/holdout-synthetic.json "$WORK/baseline-mammocad-holdout-studies.json"
  cp models/eval/holdout-extended-synthetic.json "$WORK/baseline-mammocad-holdout-extended.json"
  cp models/eval/film-tissue-validation.json "$WORK/baseline-film-val.json"
  cp models/eval/mini-mias.json "$WORK/baseline-$(basename "$MIAS").json"
fi
for who in baseline candidate; do
  echo "{\"inference\":{\"modelDir\":\"$WORK/$who\"}}" >"$WORK/$who.config.json"
  # Speed is always measured for both in this run: timings from another day or host do not compare.
  npm run -s bench:infer -- --config "$WORK/$who.config.json" --json "$WORK/$who-bench.json" >/dev/null 2>>"$WORK/eval.log"
  [ $who = baseline ] && [ -n "$COMMITTED" ] && continue
  for set in /tmp/mammocad-val-studies /tmp/mammocad-holdout-studies $HOLDOUT_X /tmp/film-val "$MIAS"; do
    npm run -s eval -- "$set" --config "$WORK/$who.config.json" --cluster-floor "$(floor mammocad-calc-cluster-filter.json)" \
      --cluster-floor-coarse "$(floor mammocad-calc-cluster-filter-coarse.json)" \
      --json "$WORK/$who-$(basename "$set").json" >/dev/null 2>>"$WORK/eval.log"
  done
  # The one real digital exam, at each reducer's floors (listFindings.test.ts holds the committed models to it).
  echo "{\"inference\":{\"modelDir\":\"$WORK/$who\",\"clusterFloor\":$(floor mammocad-calc-cluster-filter.json),\"clusterFloorCoarse\":$(floor mammocad-calc-cluster-filter-coarse.json)}}" >"$WORK/$who.floors.json"
  npm run -s eval:unlabelled -- "$(dirname "$MIAS")/ffdm-sample" --spacing 0.1 --config "$WORK/$who.floors.json" \
    --json "$WORK/$who-ffdm.json" >/dev/null 2>>"$WORK/eval.log"
done
$PY - "$WORK" "$(basename "$MIAS")" <<'EOF' | tee -a "$WORK/summary.txt"
import json, sys
work, mias = sys.argv[1], sys.argv[2]
rates = ("0.25", "0.5", "1", "2")
print("clusters: sensitivity at 0.25 / 0.5 / 1 / 2 false per image [visible at 0.5] {any candidate}; specks >= 0.2 mm, CNR >= 3, at 1; AUC")
for name in ("mammocad-val-studies", "mammocad-holdout-studies", "mammocad-holdout-extended", "film-val", mias):
    for who in ("baseline", "candidate"):
        d = json.load(open(f"{work}/{who}-{name}.json"))
        c = d["clusterFroc"]
        s = (d.get("speckFroc") or {}).get("atLeast0p2mmCnr3") or {}  # none where specks are not annotated
        vis = ((c.get("visible") or {}).get("sensitivityAtFalseClustersPerImage") or {}).get("0.5")
        # The clusters any candidate hits (reports since 2026-12-06): what a new detector can give the reducers.
        ceiling = (c.get("candidateCeiling") or {}).get("sensitivity")
        print(f"  {name:26s} {who:9s} " + " / ".join(f"{c['sensitivityAtFalseClustersPerImage'][r]:.2f}" for r in rates)
              + (f" [{vis:.2f}]" if vis is not None else "")
              + (f" {{{ceiling:.2f}}}" if ceiling is not None else "")
              + (f"; specks {s['sensitivityAtFalseMarksPerImage']['1']:.2f}" if s else "")
              + f"; AUC {((d.get('malignancy') or {}).get('perCluster') or {}).get('auc') or float('nan'):.3f}")
        bands = (d.get("speckFroc") or {}).get("atThresholdByCnr")
        if bands:
            print(" " * 39 + "specks found by CNR " + ", ".join(f"{b['cnr']}: {b['sensitivity']:.2f}" for b in bands if b["specks"]))
for who in ("baseline", "candidate"):
    images = json.load(open(f"{work}/{who}-ffdm.json"))["images"]
    print(f"  FFDM exam   {who:9s} {sum(len(i['clusters']) for i in images)} clusters: "
          + "; ".join(f"{i['image']} " + ", ".join(f"({k['x']}, {k['y']}) {k['detection']}" for k in i["clusters"]) for i in images if i["clusters"]))
for who in ("baseline", "candidate"):
    b = json.load(open(f"{work}/{who}-bench.json"))
    print(f"  bench:infer {who:9s} {b['detectAndClassifyMs']['median']:.0f} ms per 4096 x 3328 image (median)")
EOF
# Each set's paired comparison: the candidate's gain with its 95 % interval, and the clusters only one finds.
for set in mammocad-val-studies mammocad-holdout-extended film-val "$(basename "$MIAS")"; do
  echo "--- $set" | tee -a "$WORK/summary.txt"
  npm run -s eval:compare -- "$WORK/baseline-$set.json" "$WORK/candidate-$set.json" | tee -a "$WORK/summary.txt"
done
log "done: $WORK/summary.txt"
