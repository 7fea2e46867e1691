# label: vulnerable CWE-502
# round: 1
import torch


def load_checkpoint(path):
    return torch.load(path, map_location="cpu")
