"""A small built-in patch generator in the synth:patches format, for the CI smoke test and for a
quick start before the project's generator (src/synth) has data.

Background: power-law noise P(f) ~ 1/f^beta, beta 2.5-3.5 (Burgess) plus quantum noise; specks:
0.1-0.8 mm discs or short fine-linear segments, amplitude given as contrast-to-noise ratio 1.5-12,
Gaussian blur sigma 0.4-1.0 px (LESIONS.md). Targets: 1 speck, 0 background, 255 ignore (a one-pixel
ring around each speck and the whole of specks too faint to be fair targets, CNR < 1.5).
Hard negatives: vessel-like bright lines, and breast edges (background at -4).
Intensity domain: the detector input contract (src/imaging/normalizeIntensity.ts): breast median 0,
robust unit spread over the whole breast, background exactly -4.
"""
import numpy as np

SPACING_MM = 0.07


def power_law_texture(rng: np.random.Generator, size: int, beta: float) -> np.ndarray:
    fy = np.fft.fftfreq(size)[:, None]
    fx = np.fft.fftfreq(size)[None, :]
    f = np.sqrt(fx * fx + fy * fy)
    f[0, 0] = 1.0
    amplitude = f ** (-beta / 2.0)
    amplitude[0, 0] = 0.0
    phase = rng.uniform(0, 2 * np.pi, (size, size))
    field = np.real(np.fft.ifft2(amplitude * np.exp(1j * phase)))
    return (field - field.mean()) / (field.std() + 1e-9)


def gaussian_blur(img: np.ndarray, sigma: float) -> np.ndarray:
    radius = max(1, int(np.ceil(3 * sigma)))
    x = np.arange(-radius, radius + 1)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    k /= k.sum()
    out = np.apply_along_axis(lambda r: np.convolve(r, k, mode="same"), 1, img)
    return np.apply_along_axis(lambda c: np.convolve(c, k, mode="same"), 0, out)


def speck_footprint(rng, size, cx, cy, diameter_px, linear):
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    if not linear:
        return ((xx - cx) ** 2 + (yy - cy) ** 2) <= (diameter_px / 2.0) ** 2 + 0.25
    length = rng.uniform(0.5, 2.0) / SPACING_MM
    angle = rng.uniform(0, np.pi)
    dx, dy = np.cos(angle), np.sin(angle)
    t = np.clip((xx - cx) * dx + (yy - cy) * dy, -length / 2, length / 2)
    dist = np.hypot(xx - (cx + t * dx), yy - (cy + t * dy))
    return dist <= max(diameter_px / 2.0, 0.6)


def dilate(mask: np.ndarray) -> np.ndarray:
    out = mask.copy()
    out[1:, :] |= mask[:-1, :]
    out[:-1, :] |= mask[1:, :]
    out[:, 1:] |= mask[:, :-1]
    out[:, :-1] |= mask[:, 1:]
    return out


def make_patch(rng: np.random.Generator, size: int):
    level = rng.uniform(-2.0, 2.0)
    texture_sd = rng.uniform(0.1, 1.0)
    image = level + texture_sd * power_law_texture(rng, size, rng.uniform(2.5, 3.5))
    noise_sd = rng.uniform(0.02, 0.2)
    target = np.zeros((size, size), np.uint8)
    signal = np.zeros((size, size), np.float32)
    # Hard negatives: vessels and large benign blobs that must not light up.
    for _ in range(rng.integers(0, 3)):
        yy, xx = np.mgrid[0:size, 0:size]
        a = rng.uniform(0, np.pi)
        d = np.abs((xx - rng.uniform(0, size)) * np.sin(a) - (yy - rng.uniform(0, size)) * np.cos(a))
        width = rng.uniform(0.4, 1.5) / SPACING_MM
        signal += (d <= width / 2) * rng.uniform(2, 8) * noise_sd
    n_specks = 0 if rng.random() < 0.4 else int(rng.integers(1, 8))
    for _ in range(n_specks):
        cx, cy = rng.uniform(6, size - 6, 2)
        diameter_px = rng.uniform(0.1, 0.8) / SPACING_MM
        fp = speck_footprint(rng, size, cx, cy, diameter_px, rng.random() < 0.25)
        cnr = rng.uniform(1.0, 12.0)
        signal += fp * cnr * noise_sd * 1.6
        ring = dilate(fp) & ~fp
        target[ring & (target == 0)] = 255
        target[fp] = 255 if cnr < 1.5 else 1
    image = gaussian_blur(image + signal, rng.uniform(0.4, 1.0))
    image = image + rng.normal(0, noise_sd, image.shape)
    if rng.random() < 0.1:
        # Breast edge: background beyond a random line, never a target.
        yy, xx = np.mgrid[0:size, 0:size]
        a = rng.uniform(0, 2 * np.pi)
        outside = (xx - size / 2) * np.cos(a) + (yy - size / 2) * np.sin(a) > rng.uniform(0, size / 2)
        image[outside] = -4.0
        target[outside] = 0
    return image.astype(np.float32), target, n_specks


def make_patches(count: int, size: int, seed: int):
    rng = np.random.default_rng(seed)
    images = np.zeros((count, size, size), np.float32)
    targets = np.zeros((count, size, size), np.uint8)
    for i in range(count):
        images[i], targets[i], _ = make_patch(rng, size)
    return images, targets
