"""Trains a cluster-region CNN (cluster_cnn_net.py) on cluster-centred patches
(`npm run synth:patches -- --cluster-centred`) and exports it to ONNX.

  npm run train:cluster-cnn -- --data DIR[,DIR...] --out FILE.onnx [--detector models/mammocad-calc-detector.pt]
    [--target malignancy|presence] [--negatives DIR[,DIR...]] [--steps 3000] [--batch 32] [--lr 2e-3]

--target malignancy (the classifier's CNN): each patch's `pathology` in labels.jsonl (malignant 1,
benign 0). Only patches where the frozen detector sees at least --min-seen specks (heatmap peaks
>= 0.8; default 3) are used: the node scores only clusters it found, and a cluster the detector
cannot see is label noise to a CNN that reads the detector's map.
--target presence (the cluster reducer's CNN): the cluster-centred patches are 1, and the
calcification-free patches of the --negatives folders (synth:patches negatives and hard negatives,
synth:hard-negatives sets: where the detector fires on tissue) are 0; --min-seen defaults to 0.
Validation: the last 10 % of each folder's patches (the writers go scene by scene, so a cluster's
patches stay on one side).
Fixed seed, checkpoints every 250 steps in --ckpt-dir (with PyTorch's random state, which dropout
draws from), --resume continues an interrupted run bit for bit; a --ckpt-dir that already holds a
checkpoint needs --resume (or another folder).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_cnn_net import ClusterRegionNet, export_onnx  # noqa: E402
from detector_net import detector_state, has_local_contrast  # noqa: E402
from patch_dataset import load_patch_folder  # noqa: E402
from train_common import (  # noqa: E402
    auc, check_weights, fail, load_checkpoint, load_patches, pick_device, prepare_checkpoints, prepare_output, resume_training, rng_state,
    save_atomically,
)
from train_detector import augment, seed_everything  # noqa: E402

SCRIPT = "train_cluster_cnn"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="comma-separated cluster-centred patch folders")
    p.add_argument("--out", required=True, help="ONNX file to write")
    p.add_argument("--detector", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../models/mammocad-calc-detector.pt"),
                   help="the detector whose frozen decoder map the CNN reads (its weights-only .pt)")
    p.add_argument("--target", default="malignancy", choices=["malignancy", "presence"])
    p.add_argument("--negatives", default="", help="comma-separated tissue patch folders (label 0) for --target presence")
    p.add_argument("--min-seen", type=int, default=None, help="keep patches with at least this many heatmap peaks >= 0.8 (default 3; 0 for presence)")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--val-fraction", type=float, default=0.1)
    p.add_argument("--resume", default="", help="checkpoint to continue from (same --steps and data)")
    p.add_argument("--stop-after", type=int, default=0, help="stop (checkpointed, no export) after this step, as an interrupted run would")
    p.add_argument("--ckpt-dir", default="/tmp/mammocad-train-cluster-cnn")
    p.add_argument("--ckpt-every", type=int, default=250)
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--threads", type=int, default=2)
    return p.parse_args(argv)


def load_labelled(folders, negatives, target, val_fraction):
    """Images, 0/1 labels and the validation mask over all folders (see the module docstring)."""
    images, labels, is_val = [], [], []
    for folder, negative in [(f, False) for f in folders] + [(f, True) for f in negatives]:
        x, _, meta = load_patches(SCRIPT, load_patch_folder, folder)
        if not os.path.isfile(os.path.join(folder, "labels.jsonl")):
            fail(SCRIPT, f"{folder}: no labels.jsonl, not a synth:patches folder")
        with open(os.path.join(folder, "labels.jsonl")) as f:
            rows = [json.loads(line) for line in f]
        if len(rows) != len(x):
            sys.exit(f"train_cluster_cnn: {folder}: labels.jsonl and meta.json disagree on the count")
        if negative:
            keep = np.array([r["speckCount"] == 0 for r in rows])
            y = np.zeros(len(x), np.float32)
        else:
            if any("pathology" not in r for r in rows):
                sys.exit(f"train_cluster_cnn: {folder} is not a cluster-centred set (every label needs a pathology)")
            keep = np.ones(len(x), bool)
            y = np.array([1.0 if target == "presence" or r["pathology"] == "malignant" else 0.0 for r in rows], np.float32)
        x, y = x[keep], y[keep]
        images.append(x)
        labels.append(y)
        n_val = max(1, int(len(x) * val_fraction))
        is_val.append(np.arange(len(x)) >= len(x) - n_val)
    if not images:
        fail(SCRIPT, "--data names no folder")
    return np.concatenate(images), np.concatenate(labels), np.concatenate(is_val)


def specks_seen(model, images, device, threshold=0.8, batch=128):
    """Heatmap peaks (3 x 3 local maxima) >= threshold per patch, from the model's frozen detector."""
    counts = []
    with torch.no_grad():
        for i in range(0, len(images), batch):
            heat = model.detector(torch.from_numpy(images[i : i + batch]).unsqueeze(1).to(device))  # no centre head: the heatmap alone
            peaks = (heat >= threshold) & (heat == F.max_pool2d(heat, 3, stride=1, padding=1))
            counts.append(peaks.flatten(1).sum(1).cpu().numpy())
    return np.concatenate(counts)


def predict(model, images, device, batch=128):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(images), batch):
            out.append(model(torch.from_numpy(images[i : i + batch]).unsqueeze(1).to(device)).squeeze(1).cpu().numpy())
    model.train()
    return np.concatenate(out) if out else np.zeros(0, np.float32)


def save_checkpoint(path, model, optimiser, schedule, gen, step, seed):
    save_atomically({"model": model.state_dict(), "optimiser": optimiser.state_dict(), "schedule": schedule.state_dict(),
                     "generator": gen.get_state(), "rng": rng_state(), "step": step, "seed": seed, "widths": model.widths}, path)


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    device = pick_device(SCRIPT, args.device)
    # Everything that can be wrong with the arguments is found before the data are loaded: first how
    # they agree with each other, then what they name on disk.
    folders = [d for d in args.data.split(",") if d]
    negatives = [d for d in args.negatives.split(",") if d]
    if (args.target == "presence") != bool(negatives):
        sys.exit("train_cluster_cnn: --negatives goes with --target presence, and presence needs them")
    ck_path = prepare_checkpoints(SCRIPT, args.ckpt_dir, "cluster-cnn-last.pt", args.resume)
    prepare_output(SCRIPT, args.out)
    ck = load_checkpoint(SCRIPT, "--resume", args.resume, device) if args.resume else None
    detector = load_checkpoint(SCRIPT, "--detector", args.detector)
    if args.min_seen is None:
        args.min_seen = 0 if args.target == "presence" else 3
    images, labels, is_val = load_labelled(folders, negatives, args.target, args.val_fraction)
    if len(images) == 0:
        fail(SCRIPT, f"--data {args.data} holds no patches (npm run synth:patches -- --cluster-centred --count N)")
    size = images.shape[1]
    if size % 16:
        sys.exit(f"train_cluster_cnn: patch size {size} is not a multiple of 16")
    model = ClusterRegionNet(detector_local_contrast=has_local_contrast(detector["model"]))
    if tuple(detector.get("widths", ())) != model.detector_widths:
        fail(SCRIPT, f"--detector {args.detector} has widths {detector.get('widths')}, expected {model.detector_widths}")
    check_weights(SCRIPT, "--detector", args.detector, model.detector, detector_state(detector["model"]))
    model.load_detector(args.detector)
    model = model.to(device).train()
    seen = specks_seen(model, images, device)
    keep = seen >= args.min_seen
    print(f"train_cluster_cnn: {int(keep.sum())} of {len(keep)} patches show >= {args.min_seen} specks to the detector", flush=True)
    images, labels, is_val = images[keep], labels[keep], is_val[keep]
    train_x, train_y = torch.from_numpy(images[~is_val]).unsqueeze(1), torch.from_numpy(labels[~is_val])
    print(f"train_cluster_cnn: {len(train_x)} training ({int(train_y.sum())} labelled 1) and {int(is_val.sum())} validation patches of {size} px", flush=True)
    if len(train_x) == 0:
        fail(SCRIPT, f"no training patches left (--min-seen {args.min_seen} keeps {int(keep.sum())} of {len(keep)}, {int(is_val.sum())} of them for validation)")

    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=1e-3)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=max(args.steps, 1), pct_start=0.1)
    gen = torch.Generator().manual_seed(args.seed)
    step = 0
    if ck is not None:
        check_weights(SCRIPT, "--resume", args.resume, model, ck["model"])
        step = resume_training(SCRIPT, args.resume, ck, model, optimiser, schedule, gen)

    started = time.time()
    model.train()
    while step < args.steps:
        idx = torch.randint(0, len(train_x), (args.batch,), generator=gen)
        x, y = augment(train_x[idx], gen), train_y[idx]
        x = torch.rot90(x, int(torch.randint(0, 4, (1,), generator=gen)), (2, 3))
        if bool(torch.randint(0, 2, (1,), generator=gen)):
            x = torch.flip(x, (3,))
        loss = F.binary_cross_entropy_with_logits(model(x.to(device)).squeeze(1), y.to(device))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        step += 1
        if step % 100 == 0 or step == args.steps:
            print(f"step {step}/{args.steps} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
        if step % args.ckpt_every == 0 or step == args.steps or step == args.stop_after:
            save_checkpoint(ck_path, model, optimiser, schedule, gen, step, args.seed)
        if args.stop_after and step >= args.stop_after and step < args.steps:
            print(f"train_cluster_cnn: stopped at step {step}; resume with --resume {ck_path}", flush=True)
            return

    val_scores = predict(model, images[is_val], device)
    metrics = {"patches": int(is_val.sum()), "positive": int(labels[is_val].sum()), "auc": auc(val_scores, labels[is_val])}
    print("validation " + json.dumps(metrics), flush=True)
    # The explanation's zero point for the CNN's share: its mean logit over the training clusters.
    mean_logit = float(predict(model, images[~is_val], device).mean())
    model.cpu()
    export_onnx(model, args.out, size, f"{args.target}_logit")
    weights_path = os.path.splitext(args.out)[0] + ".pt"
    torch.save({"model": model.state_dict(), "widths": model.widths, "detectorWidths": model.detector_widths, "step": step, "seed": args.seed}, weights_path)
    record = {
        "onnx": os.path.basename(args.out),
        "parameters": sum(p.numel() for p in trainable),
        "detector": os.path.abspath(args.detector),
        "patchSize": size,
        "steps": step,
        "batch": args.batch,
        "seed": args.seed,
        "learningRate": args.lr,
        "target": args.target,
        "minSeen": args.min_seen,
        "patchesKept": int(keep.sum()),
        "patchesGiven": int(len(keep)),
        "trainPatches": int(len(train_x)),
        "device": str(device),
        "validation": metrics,
        "meanTrainingLogit": round(mean_logit, 4),
        "source": {"folders": folders, "negatives": negatives},
        "trainSeconds": round(time.time() - started, 1),
    }
    with open(os.path.splitext(args.out)[0] + ".training.json", "w") as f:
        json.dump(record, f, indent=2)
    print(f"train_cluster_cnn: wrote {args.out}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
