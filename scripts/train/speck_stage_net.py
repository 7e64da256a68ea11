"""The speck stage: a small CNN that reads a 4 x 32 x 32 crop around one detected speck (the working
image relative to its mean and the detector's heatmap, 2.2 mm, then the same over 4.5 mm reduced 2 x 2;
src/detect/speckCrops.ts cuts them) and gives the logit that the speck lies on a calcification. Three
levels of two 3x3 convolutions (16, 32, 64 channels; batch norm, so no biases) with max pooling between,
average pooling to 2 x 2, then 256 -> 64 -> 1: 88 961 parameters (88 673 with the two channels up to 0.3.19) (models/HISTORY.md, "a second-stage speck CNN on crops around the detector's
specks"). The ONNX file holds several of them, one per fold of the training studies (StageEnsemble).
"""
import torch
from torch import nn

CROP_PX = 32
CHANNELS = 4


def conv_bn_relu(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True))


class SpeckStageNet(nn.Module):
    def __init__(self, widths=(16, 32, 64)):
        super().__init__()
        layers, c_in = [], CHANNELS
        for i, w in enumerate(widths):
            if i:
                layers.append(nn.MaxPool2d(2))
            layers += [conv_bn_relu(c_in, w), conv_bn_relu(w, w)]
            c_in = w
        layers.append(nn.AdaptiveAvgPool2d(2))
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(4 * c_in, 64), nn.ReLU(inplace=True), nn.Linear(64, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


class StageEnsemble(nn.Module):
    """The networks of one stage file side by side: N x K logits, network k in column k."""

    def __init__(self, nets):
        super().__init__()
        self.nets = nn.ModuleList(nets)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([net(x) for net in self.nets], dim=1)


def export_onnx(ensemble: StageEnsemble, path: str, opset: int = 13) -> None:
    """Dynamic batch: input 'crops' N x 4 x 32 x 32, output 'fold_logits' N x K."""
    import warnings

    warnings.filterwarnings("ignore", category=UserWarning)  # torch 1.13 shape-inference chatter
    ensemble.eval()
    torch.onnx.export(
        ensemble,
        torch.zeros(1, CHANNELS, CROP_PX, CROP_PX),
        path,
        opset_version=opset,
        input_names=["crops"],
        output_names=["fold_logits"],
        dynamic_axes={"crops": {0: "batch"}, "fold_logits": {0: "batch"}},
        do_constant_folding=True,
    )
