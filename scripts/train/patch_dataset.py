"""Reads the synth:patches format: meta.json, images.f32 (count*size*size float32 LE),
targets.u8 (1 calcification, 0 background, 255 ignore), labels.jsonl (optional)."""
import json
import os

import numpy as np


def load_patch_folder(folder: str):
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    count, size = int(meta["count"]), int(meta["size"])
    images = np.fromfile(os.path.join(folder, "images.f32"), dtype="<f4")
    targets = np.fromfile(os.path.join(folder, "targets.u8"), dtype=np.uint8)
    if images.size != count * size * size or targets.size != count * size * size:
        raise ValueError(f"{folder}: meta.json says {count}x{size}x{size}, files hold {images.size}/{targets.size} values")
    return images.reshape(count, size, size), targets.reshape(count, size, size), meta


def load_patch_folders(folders):
    parts = [load_patch_folder(f) for f in folders]
    sizes = {p[0].shape[1] for p in parts}
    if len(sizes) != 1:
        raise ValueError(f"patch folders differ in patch size: {sorted(sizes)}")
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]), [p[2] for p in parts]
