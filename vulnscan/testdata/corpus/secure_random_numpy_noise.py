# label: secure
# round: 2
import numpy as np


def add_noise(x, scale=0.1):
    return x + np.random.uniform(-scale, scale, size=x.shape)
