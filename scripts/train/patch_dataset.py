"""Reads the synth:patches format: meta.json, images.f32 (count*size*size float32 LE),
targets.u8 (1 calcification, 0 background, 255 ignore), centres.u8 (1 at each speck centre; absent in
sets written before it existed), labels.jsonl (optional)."""
import json
import os

import numpy as np


def load_patch_folder(folder: str):
    if not os.path.isdir(folder):
        raise ValueError(f"{folder}: no such folder")
    if not os.path.isfile(os.path.join(folder, "meta.json")):
        raise ValueError(f"{folder}: no meta.json, not a synth:patches folder")
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    count, size = int(meta["count"]), int(meta["size"])
    images = np.fromfile(os.path.join(folder, "images.f32"), dtype="<f4")
    targets = np.fromfile(os.path.join(folder, "targets.u8"), dtype=np.uint8)
    if images.size != count * size * size or targets.size != count * size * size:
        raise ValueError(f"{folder}: meta.json says {count}x{size}x{size}, files hold {images.size}/{targets.size} values")
    return images.reshape(count, size, size), targets.reshape(count, size, size), meta


def load_patch_folders(folders):
    if not folders:
        raise ValueError("no patch folders given")
    parts = [load_patch_folder(f) for f in folders]
    sizes = {p[0].shape[1] for p in parts}
    if len(sizes) != 1:
        raise ValueError(f"patch folders differ in patch size: {sorted(sizes)}")
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]), [p[2] for p in parts]


def validation_split(count: int, fraction: float, seed: int):
    """(validation, training) patch indices: a seeded shuffle, at least one for validation. Both
    training scripts use it, so a centre head is validated on the patches its detector was."""
    n_val = max(1, int(count * fraction))
    order = np.random.default_rng(seed).permutation(count)
    return order[:n_val], order[n_val:]


def load_centre_maps(folders, metas):
    """centres.u8 of each folder, concatenated like load_patch_folders' images."""
    maps = []
    for folder, meta in zip(folders, metas):
        path = os.path.join(folder, "centres.u8")
        if not os.path.exists(path):
            raise ValueError(f"{folder}: no centres.u8 (written by synth:patches since the centre head); regenerate the set")
        count, size = int(meta["count"]), int(meta["size"])
        centres = np.fromfile(path, dtype=np.uint8)
        if centres.size != count * size * size:
            raise ValueError(f"{folder}: meta.json says {count}x{size}x{size}, centres.u8 holds {centres.size} values")
        maps.append(centres.reshape(count, size, size))
    return np.concatenate(maps)
