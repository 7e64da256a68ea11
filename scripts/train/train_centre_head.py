"""Adds a speck-centre head to a trained detector and trains only that head.

  npm run train:centre-head -- --data DIR[,DIR...] --init models/mammocad-calc-detector.pt --out DIR/mammocad-calc-detector.onnx
      [--steps N] [--batch 16] [--lr 2e-3] [--sigma 1.0] [--depth 2] [--ckpt-dir DIR] [--resume CKPT] [--stop-after N]

Why: touching specks of a dense cluster merge into one heatmap component, so the cluster shows
fewer specks than it has (models/HISTORY.md, "Tried for 0.3.1"). Splitting the component at heatmap
peaks also split film-grain blobs. A second output trained to peak at each speck's centre (the
patches' centres.u8) says where one speck ends and the next begins, from what the network saw.

Everything else is frozen, BatchNorm statistics included, so the exported 'heatmap' output is the
initial detector's exactly; the new ONNX adds a 'centre_logits' output. The frozen features of every
patch are computed once, so a step costs only the head. Loss: the penalty-reduced focal loss
of CornerNet/CenterNet (Law & Deng 2018; Zhou et al. 2019) on a Gaussian around each centre, pixels
the patch marks "ignore" left out.

Checkpoints (head, optimiser, step, random states) go to --ckpt-dir every --ckpt-every steps, and
--resume continues from one bit for bit, as train:detector's do; a --ckpt-dir that already holds a
checkpoint needs --resume (or another folder).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from detector_net import CalcificationNet, detector_state, export_onnx, has_local_contrast  # noqa: E402
from patch_dataset import load_centre_maps, load_patch_folders, validation_split  # noqa: E402
from train_common import (  # noqa: E402
    check_split, check_weights, fail, load_checkpoint, load_patches, prepare_checkpoints, prepare_output, resume_training, rng_state,
    save_atomically,
)

SCRIPT = "train_centre_head"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="comma-separated synth:patches folders with centres.u8")
    p.add_argument("--init", required=True, help="weights of the trained detector (its .pt)")
    p.add_argument("--out", required=True, help="ONNX file to write (heatmap + centre_logits)")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--sigma", type=float, default=1.0, help="Gaussian around each centre, px")
    p.add_argument("--depth", type=int, default=2, help="separable convolutions before the head's 1x1 output")
    p.add_argument("--half", action="store_true", help="read the 1/2-resolution decoder map and upsample (about a quarter of the cost)")
    p.add_argument("--val-fraction", type=float, default=0.1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--resume", default="", help="checkpoint to continue from (same --steps, data and --init)")
    p.add_argument("--stop-after", type=int, default=0, help="stop (checkpointed, no export) after this step, as an interrupted run would")
    p.add_argument("--ckpt-dir", default="/tmp/mammocad-train-centre-head")
    p.add_argument("--ckpt-every", type=int, default=250)
    return p.parse_args(argv)


def centre_heat(centres: np.ndarray, sigma: float) -> np.ndarray:
    """Per patch, the maximum over its centres of exp(-d²/2σ²): 1 at each centre pixel. The maximum,
    not the sum, so the dip between two touching specks stays in the target."""
    radius = int(np.ceil(3 * sigma))
    offsets = np.arange(-radius, radius + 1)
    kernel = np.exp(-(offsets[:, None] ** 2 + offsets[None, :] ** 2) / (2 * sigma * sigma)).astype(np.float32)
    heat = np.zeros(centres.shape, np.float32)
    size = centres.shape[-1]
    for n, y, x in zip(*np.nonzero(centres)):
        y0, y1, x0, x1 = max(0, y - radius), min(size, y + radius + 1), max(0, x - radius), min(size, x + radius + 1)
        k = kernel[y0 - y + radius : y1 - y + radius, x0 - x + radius : x1 - x + radius]
        np.maximum(heat[n, y0:y1, x0:x1], k, out=heat[n, y0:y1, x0:x1])
    return heat


def centre_loss(logits: torch.Tensor, heat: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """Penalty-reduced focal loss (alpha 2, beta 4), normalised by the number of centres."""
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = heat >= 0.999
    neg = valid & ~pos
    pos_loss = -(torch.log(p) * (1 - p) ** 2)[pos].sum()
    neg_loss = -(torch.log(1 - p) * p**2 * (1 - heat) ** 4)[neg].sum()
    return (pos_loss + neg_loss) / max(int(pos.sum()), 1)


def patch_features(model, images, batch=64) -> torch.Tensor:
    model.eval()
    with torch.no_grad():
        return torch.cat([model.centre_features(torch.from_numpy(images[i : i + batch]).unsqueeze(1)).half() for i in range(0, len(images), batch)])


def local_peaks(prob: np.ndarray, threshold: float) -> np.ndarray:
    """(y, x) of pixels at or above threshold that no 8-neighbour exceeds."""
    padded = np.pad(prob, 1, constant_values=-1)
    h, w = prob.shape
    neighbours = np.stack([padded[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w] for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx])
    return np.argwhere((prob >= threshold) & (prob >= neighbours.max(0)))


def evaluate(model, images, centres, thresholds=(0.3, 0.5), footprint=0.8, batch=64, match_px=2):
    """Where it matters, inside the heatmap's footprints at the production speck threshold: recall of
    the centres there (a centre-map peak within match_px, Chebyshev) and peaks there matching no
    centre, per patch."""
    model.eval()
    with torch.no_grad():
        out = [model(torch.from_numpy(images[i : i + batch]).unsqueeze(1)) for i in range(0, len(images), batch)]
    heatmap = torch.cat([o[0] for o in out]).squeeze(1).numpy()
    prob = torch.cat([o[1] for o in out]).squeeze(1).numpy()
    results = []
    for t in thresholds:
        found = total = false_peaks = 0
        for j in range(len(images)):
            inside = heatmap[j] >= footprint
            truth = np.argwhere((centres[j] == 1) & inside)
            peaks = local_peaks(prob[j], t)
            peaks = peaks[inside[peaks[:, 0], peaks[:, 1]]] if len(peaks) else peaks
            total += len(truth)
            if len(truth) == 0:
                false_peaks += len(peaks)
                continue
            if len(peaks) == 0:
                continue
            d = np.abs(truth[:, None, :] - peaks[None, :, :]).max(-1)
            found += int((d.min(1) <= match_px).sum())
            false_peaks += int((d.min(0) > match_px).sum())
        results.append({"threshold": t, "footprintThreshold": footprint, "centreRecall": found / max(total, 1), "centres": int(total),
                        "falsePeaksPerPatch": false_peaks / len(images)})
    return results


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    # Everything that can be wrong with the arguments is found before the data are loaded.
    ck_path = prepare_checkpoints(SCRIPT, args.ckpt_dir, "centre-head-last.pt", args.resume)
    prepare_output(SCRIPT, args.out)
    ck = load_checkpoint(SCRIPT, "--resume", args.resume) if args.resume else None
    init = load_checkpoint(SCRIPT, "--init", args.init)
    if ck is not None and (ck.get("centreHeadDepth"), ck.get("centreHeadHalf")) != (args.depth, args.half):
        fail(SCRIPT, f"--resume {args.resume} has --depth {ck.get('centreHeadDepth')}{' --half' if ck.get('centreHeadHalf') else ''}; repeat its settings")
    folders = [d for d in args.data.split(",") if d]
    images, targets, metas = load_patches(SCRIPT, load_patch_folders, folders)
    centres = load_patches(SCRIPT, load_centre_maps, folders, metas)
    heat = centre_heat(centres, args.sigma)
    val_idx, train_idx = validation_split(len(images), args.val_fraction, args.seed)
    check_split(SCRIPT, folders, len(images), len(train_idx), len(val_idx))
    print(f"train_centre_head: {len(train_idx)} training and {len(val_idx)} validation patches, {int(centres.sum())} centres", flush=True)

    if "widths" not in init:
        fail(SCRIPT, f"--init {args.init} records no widths: not a train:detector checkpoint")
    widths = tuple(init["widths"])
    model = CalcificationNet(widths, centre_head_depth=args.depth, centre_head_half=args.half,
                             local_contrast=has_local_contrast(init["model"]))
    # Names and shapes first: load_state_dict(strict=False) still raises on a shape mismatch.
    check_weights(SCRIPT, "--init", args.init, model, detector_state(init["model"]), optional_prefix="centre.")
    model.load_state_dict(detector_state(init["model"]), strict=False)  # a new head each time
    for name, param in model.named_parameters():
        param.requires_grad = name.startswith("centre.")
    # Start from a 1 % prior everywhere, as focal-loss heads do (Lin et al. 2017): at 0.5 the
    # many background pixels swamp the first steps.
    nn.init.constant_(model.centre[-1].bias, -4.6)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=max(args.steps, 1), pct_start=0.1)
    gen = torch.Generator().manual_seed(args.seed)
    step = 0
    if ck is not None:
        check_weights(SCRIPT, "--resume", args.resume, model, ck["model"])
        step = resume_training(SCRIPT, args.resume, ck, model, optimiser, schedule, gen)

    def save(path):
        save_atomically({"model": model.state_dict(), "optimiser": optimiser.state_dict(), "schedule": schedule.state_dict(),
                         "generator": gen.get_state(), "rng": rng_state(), "step": step, "seed": args.seed, "widths": widths,
                         "centreHeadDepth": args.depth, "centreHeadHalf": args.half}, path)

    # The frozen part gives the same features for a patch every time, so they are computed once
    # (float16 halves the memory). No flips or gain jitter: the features of a flipped patch are not
    # the flipped features, and the head is too small to overfit.
    features = patch_features(model, images[train_idx])
    heat_t = torch.from_numpy(heat[train_idx]).unsqueeze(1)
    valid_t = torch.from_numpy(targets[train_idx] != 255).unsqueeze(1)
    model.centre.train()
    started = time.time()
    while step < args.steps:
        idx = torch.randint(0, len(train_idx), (args.batch,), generator=gen)
        loss = centre_loss(model.centre_logits(features[idx].float()), heat_t[idx], valid_t[idx])
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        step += 1
        if step % 100 == 0 or step == args.steps:
            print(f"step {step}/{args.steps} loss {loss.item():.4f} {time.time() - started:.0f}s", flush=True)
        if step % args.ckpt_every == 0 or step == args.steps or step == args.stop_after:
            save(ck_path)
        if args.stop_after and step >= args.stop_after and step < args.steps:
            print(f"train_centre_head: stopped at step {step}; resume with --resume {ck_path}", flush=True)
            return

    metrics = evaluate(model, images[val_idx], centres[val_idx])
    print("validation " + json.dumps(metrics), flush=True)
    export_onnx(model, args.out)
    weights_path = os.path.splitext(args.out)[0] + ".pt"
    torch.save({"model": model.state_dict(), "widths": widths, "centreHeadDepth": args.depth, "centreHeadHalf": args.half, "seed": args.seed}, weights_path)
    record = {
        "onnx": os.path.basename(args.out),
        "weights": os.path.basename(weights_path),
        "init": args.init,
        "centreHead": {"depth": args.depth, "half": args.half, "steps": args.steps, "batch": args.batch, "learningRate": args.lr, "seed": args.seed, "sigmaPx": args.sigma,
                       "parameters": sum(p.numel() for p in trainable), "trainPatches": int(len(train_idx)), "validation": metrics,
                       "source": {"folders": folders, "meta": metas}, "trainSeconds": round(time.time() - started, 1)},
    }
    with open(os.path.splitext(args.out)[0] + ".centre-head.json", "w") as f:
        json.dump(record, f, indent=2)
    print(f"train_centre_head: wrote {args.out}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
