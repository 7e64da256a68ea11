"""Compact fully convolutional calcification detector (UNet-like, 3 or 4 levels).

Why this shape: calcifications are 1.5-15 px at 70 um, so the full-resolution path must exist but be
cheap (a 4096x3328 image must run in about 2 s on 2 CPU cores); the context needed to tell a speck
from tissue texture (about 1-2 mm) comes from the two coarser levels, where channels are cheap.
Depthwise-separable convolutions and a single full-resolution encoder convolution keep the cost
near 140 ms per megapixel on 2 CPU cores (onnxruntime, measured).
"""
import inspect

import torch
from torch import nn
import torch.nn.functional as F


class ConvBnRelu(nn.Sequential):
    def __init__(self, cin: int, cout: int, stride: int = 1):
        super().__init__(
            nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True),
        )


class SeparableConv(nn.Sequential):
    """Depthwise 3x3 then pointwise 1x1: 9*C + C*C' MACs per pixel instead of 9*C*C'."""

    def __init__(self, cin: int, cout: int):
        super().__init__(
            nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False),
            nn.Conv2d(cin, cout, 1, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True),
        )


# The generator's contrast-to-noise ratio (src/synth/lesions/localTissueNoise.ts): the speck's peak
# over the rms of the tissue minus its 1 mm mean, in a 3 mm window. At 70 um: 15 and 43 px.
LOCAL_MEAN_PX = 15
LOCAL_RMS_PX = 43


def box_mean(x: torch.Tensor, size: int) -> torch.Tensor:
    """Mean over a size x size box (odd size), as two 1-D passes; at the border over the pixels
    inside only, so a cut tile and a whole one agree wherever the box stays inside both."""
    x = F.avg_pool2d(x, (1, size), stride=1, padding=(0, size // 2), count_include_pad=False)
    return F.avg_pool2d(x, (size, 1), stride=1, padding=(size // 2, 0), count_include_pad=False)


class LocalContrast(nn.Module):
    """Adds a second input channel: the image minus its 1 mm mean, over that detail's rms in a 3 mm
    box, i.e. every pixel's contrast-to-noise ratio. Why: a network of convolutions and ReLUs
    compares absolute levels, so the same CNR is a small step in quiet tissue and a large one in busy
    tissue, and it has to learn the division from context; the 0.3.x detector found specks of equal
    CNR far less often in one than in the other (models/HISTORY.md, "a local contrast input"). No weights."""

    def __init__(self, eps: float = 0.05, clip: float = 8.0):
        super().__init__()
        self.eps = eps  # in the input's units (robust unit spread over the breast): flat background gives 0
        self.clip = clip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        detail = x - box_mean(x, LOCAL_MEAN_PX)
        rms = torch.sqrt(box_mean(detail * detail, LOCAL_RMS_PX) + self.eps**2)
        return torch.cat([x, torch.clamp(detail / rms, -self.clip, self.clip)], dim=1)


def has_local_contrast(state: dict) -> bool:
    """Whether a checkpoint's network reads the local-contrast channel (its stem takes two inputs)."""
    return state["stem.0.weight"].shape[1] == 2


class CalcificationNet(nn.Module):
    """Input N x 1 x H x W (H, W multiples of 8, as the exporter promises), output the per-pixel
    probability of calcification, same size, after a sigmoid. `widths` has three levels (full, 1/2,
    1/4 resolution; version 0.1-0.2) or four: the 1/8 level widens the context from about 3 mm to
    about 6 mm (vessel and ligament segments longer than a speck cluster) for little compute.
    With local_contrast, the stem also reads LocalContrast's channel."""

    def __init__(self, widths=(8, 16, 32), centre_head_depth: int = -1, centre_head_half: bool = False,
                 local_contrast: bool = False):
        super().__init__()
        self.widths = tuple(widths)
        self.local_contrast = local_contrast
        self.centre_head_depth = centre_head_depth
        self.has_centre_head = centre_head_depth >= 0
        self.centre_head_half = centre_head_half
        c1, c2, c3 = widths[:3]
        self.local = LocalContrast() if local_contrast else nn.Identity()
        self.stem = ConvBnRelu(2 if local_contrast else 1, c1)
        self.down1 = ConvBnRelu(c1, c2, stride=2)
        self.enc2 = SeparableConv(c2, c2)
        self.down2 = ConvBnRelu(c2, c3, stride=2)
        self.enc3 = nn.Sequential(SeparableConv(c3, c3), SeparableConv(c3, c3))
        # Decoder: reduce channels at the coarse level before upsampling, then add to the skip,
        # so the full-resolution work stays a few small convolutions.
        if len(widths) == 4:
            c4 = widths[3]
            self.down3 = ConvBnRelu(c3, c4, stride=2)
            self.enc4 = nn.Sequential(SeparableConv(c4, c4), SeparableConv(c4, c4))
            self.lat4 = nn.Conv2d(c4, c3, 1)
            self.dec3 = SeparableConv(c3, c3)
        self.lat3 = nn.Conv2d(c3, c2, 1)
        self.dec2 = SeparableConv(c2, c2)
        self.lat2 = nn.Conv2d(c2, c1, 1)
        self.dec1 = SeparableConv(c1, c1)
        self.head = nn.Conv2d(c1, 1, 1)
        if self.has_centre_head:
            # Second output: the probability that a pixel is a speck's centre. Touching specks share
            # one footprint above the heatmap threshold; their centres stay apart (train_centre_head.py).
            # Each full-resolution separable conv costs about a third of the whole network's time
            # (memory-bound on CPU), hence the depth option, and the option to read the ½-resolution
            # decoder map instead (a quarter of the pixels) and upsample the logits.
            c = c2 if centre_head_half else c1
            self.centre = nn.Sequential(*[SeparableConv(c, c) for _ in range(centre_head_depth)], nn.Conv2d(c, 1, 1))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The last full-resolution feature map, which the heatmap head reads."""
        return self.decoder_maps(x)[1]

    def centre_features(self, x: torch.Tensor) -> torch.Tensor:
        """The decoder map the centre head reads (½ or full resolution)."""
        return self.decoder_maps(x)[0 if self.centre_head_half else 1]

    def centre_logits(self, features: torch.Tensor) -> torch.Tensor:
        logits = self.centre(features)
        return F.interpolate(logits, scale_factor=2.0, mode="bilinear", align_corners=False) if self.centre_head_half else logits

    def decoder_maps(self, x: torch.Tensor):
        """The ½- and full-resolution decoder maps."""
        e1 = self.stem(self.local(x))
        e2 = self.enc2(self.down1(e1))
        e3 = self.enc3(self.down2(e2))
        if len(self.widths) == 4:
            e4 = self.enc4(self.down3(e3))
            e3 = self.dec3(e3 + F.interpolate(self.lat4(e4), scale_factor=2.0, mode="nearest"))
        d2 = self.dec2(e2 + F.interpolate(self.lat3(e3), scale_factor=2.0, mode="nearest"))
        return d2, self.dec1(e1 + F.interpolate(self.lat2(d2), scale_factor=2.0, mode="nearest"))

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))

    def forward(self, x: torch.Tensor):
        """The heatmap; with the centre head, (heatmap, centres)."""
        d2, d1 = self.decoder_maps(x)
        heatmap = torch.sigmoid(self.head(d1))
        if not self.has_centre_head:
            return heatmap
        return heatmap, torch.sigmoid(self.centre_logits(d2 if self.centre_head_half else d1))


def detector_state(state: dict) -> dict:
    """A checkpoint's weights without the centre head: what the heatmap depends on. Fine-tuning the
    detector changes the features the head reads, so the head is always retrained after it."""
    return {k: v for k, v in state.items() if not k.startswith("centre.")}


class ExportedDetector(nn.Module):
    """What the ONNX file computes: the heatmap and, with the centre head, the head's logits at its own
    resolution ('centre_logits', ½ or full). Upsampling the whole map and its sigmoid cost about a
    fifth of the network's time on CPU, while the reader needs centre values only at the few
    thresholded pixels: it interpolates them there, as centre_logits() does (src/detect/centreMap.ts)."""

    def __init__(self, net: CalcificationNet):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor):
        d2, d1 = self.net.decoder_maps(x)
        heatmap = torch.sigmoid(self.net.head(d1))
        if not self.net.has_centre_head:
            return heatmap
        return heatmap, self.net.centre(d2 if self.net.centre_head_half else d1)


# onnxruntime's CPU provider runs convolutions in blocks of 16 channels on AVX-512 (8 on AVX2). A
# layer whose width is not a multiple of the block makes it convert the map back to plain layout and
# forth around the layer; zero channels up to the block are cheaper (0.3.10: four 512 px tiles
# 248 -> 215 ms per run, profiled; models/HISTORY.md, "0.3.10").
NCHWC_BLOCK = 16


def embed_weights(small: dict, large: CalcificationNet, silent: bool) -> None:
    """Loads a narrower network's weights into `large` (same levels, every width at least as large)
    so that `large` computes what the narrower one did. The old channels never read a new one: every
    weight from a new input channel into an old output channel is zero. silent: the new channels are
    zero throughout (zero weights and BatchNorm scale), as the exporter wants them; otherwise they
    keep `large`'s fresh initialisation and start learning at once, since their outgoing weights get
    gradients through the old channels' loss."""
    state = large.state_dict()
    for name, value in small.items():
        target = state[name]
        if target.dim() > 0 and silent:
            target.zero_()
            if name.endswith("running_var"):
                target.fill_(1.0)
        elif target.dim() >= 2:
            target[: value.shape[0], value.shape[1]:] = 0
        target[tuple(slice(0, n) for n in value.shape)] = value
    large.load_state_dict(state)


def padded_to_block(model: CalcificationNet, block: int = NCHWC_BLOCK) -> CalcificationNet:
    """The same network with every width rounded up to a multiple of `block`. The added channels have
    zero weights and a zero BatchNorm scale, so they stay zero after every layer and the outputs are
    the model's own."""
    widths = tuple(-(-w // block) * block for w in model.widths)
    if widths == model.widths:
        return model
    padded = CalcificationNet(widths, model.centre_head_depth, model.centre_head_half, model.local_contrast)
    embed_weights(model.state_dict(), padded, silent=True)
    return padded.eval()


def _check_same_outputs(model: CalcificationNet, exported: CalcificationNet) -> None:
    x = torch.randn(2, 1, 64, 64, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        a, b = ExportedDetector(model)(x), ExportedDetector(exported)(x)
    for u, v in zip(a if isinstance(a, tuple) else (a,), b if isinstance(b, tuple) else (b,)):
        if not torch.allclose(u, v, atol=1e-6, rtol=0):
            raise RuntimeError(f"padded network differs from the trained one by {(u - v).abs().max().item()}")


# PyTorch 2.9+ exports through torch.export (dynamo) by default; the TorchScript exporter is the one
# these dynamic axes and opset 13 were checked with (1.13, Debian's, has no such argument).
TORCHSCRIPT_EXPORTER = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}


def export_onnx(model: CalcificationNet, path: str, opset: int = 13) -> None:
    """ONNX with dynamic batch, height and width; input 'image', output 'heatmap' (and 'centre_logits'
    when the model has the centre head); widths padded to onnxruntime's channel block."""
    import warnings

    warnings.filterwarnings("ignore", category=UserWarning)  # torch 1.13 shape-inference chatter
    model.eval()
    exported = padded_to_block(model)
    _check_same_outputs(model, exported)
    dummy = torch.zeros(1, 1, 64, 64)
    outputs = ["heatmap", "centre_logits"] if model.has_centre_head else ["heatmap"]
    torch.onnx.export(
        ExportedDetector(exported).eval(),  # export restores the mode it found: leave the model in eval
        dummy,
        path,
        opset_version=opset,
        input_names=["image"],
        output_names=outputs,
        dynamic_axes={name: {0: "batch", 2: "height", 3: "width"} for name in ["image", *outputs]},
        do_constant_folding=True,
        **TORCHSCRIPT_EXPORTER,
    )
