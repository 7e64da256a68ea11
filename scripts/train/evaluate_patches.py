"""Per-speck sensitivity and false marks on a synth:patches folder (e.g. a --holdout set of tissue not
used in training), from a training checkpoint, at several thresholds.

  /usr/bin/python3 scripts/train/evaluate_patches.py --data DIR --ckpt CKPT [--thresholds T,...]
    [--at-rates R,...] [--json FILE]

False marks are also given per 10 megapixels, about one 70 um mammogram's breast, so patch results
can be read against the per-image targets. --at-rates compares two detectors at matched false marks
instead of at one threshold (their scores are not calibrated alike): for each rate of false marks
per patch, the lowest threshold that keeps to it, found by bisection, and the sensitivity there.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from detector_net import CalcificationNet, detector_state, has_local_contrast  # noqa: E402
from patch_dataset import load_patch_folders  # noqa: E402
from speck_metrics import speck_detection_counts  # noqa: E402


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--ckpt", required=True)
    p.add_argument("--json", default="")
    p.add_argument("--thresholds", default="0.5,0.7,0.8,0.9")
    p.add_argument("--at-rates", default="", help="false marks per patch, e.g. 0.01,0.035,0.1")
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    images, targets, metas = load_patch_folders(args.data.split(","))
    checkpoint = torch.load(args.ckpt, map_location="cpu", weights_only=False)
    model = CalcificationNet(checkpoint.get("widths", (8, 16, 32)),  # 0.1-0.2 checkpoints carry no widths
                             local_contrast=has_local_contrast(checkpoint["model"]))
    model.load_state_dict(detector_state(checkpoint["model"]))  # the heatmap only
    model.eval()
    with torch.no_grad():
        prob = torch.cat([model(torch.from_numpy(images[i : i + 64]).unsqueeze(1)) for i in range(0, len(images), 64)]).squeeze(1).numpy()
    megapixels = images.size / 1e6

    def at_threshold(t):
        hits = total = false_marks = 0
        for j in range(len(images)):
            h, n, f = speck_detection_counts(prob[j], targets[j], t)
            hits, total, false_marks = hits + h, total + n, false_marks + f
        return {"threshold": t, "speckSensitivity": hits / max(total, 1), "specks": total,
                "falseMarksPerPatch": false_marks / len(images), "falseMarksPer10Megapixels": false_marks / megapixels * 10}

    results = []
    for t in [float(x) for x in args.thresholds.split(",") if x]:
        results.append(at_threshold(t))
        print(json.dumps(results[-1]), flush=True)
    at_rates = []
    for rate in [float(x) for x in args.at_rates.split(",") if x]:
        result = at_rate(at_threshold, rate)
        at_rates.append(result)
        print(json.dumps(result), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"data": args.data, "ckpt": args.ckpt, "meta": metas, "results": results, "atRates": at_rates}, f, indent=2)


def at_rate(at_threshold, rate, steps=14):
    """The result at the lowest threshold whose false marks per patch are at most `rate` (to 1e-4 by
    bisection; false marks fall with the threshold, if not strictly). `rateReached` is false when
    not even threshold 1 keeps to it."""
    best = at_threshold(1.0)
    if best["falseMarksPerPatch"] > rate:
        return {"rate": rate, "rateReached": False, **best}
    lo, hi = 0.0, 1.0
    for _ in range(steps):
        mid = (lo + hi) / 2
        result = at_threshold(mid)
        if result["falseMarksPerPatch"] <= rate:
            hi, best = mid, result
        else:
            lo = mid
    return {"rate": rate, "rateReached": True, **best}


if __name__ == "__main__":
    main(sys.argv[1:])
