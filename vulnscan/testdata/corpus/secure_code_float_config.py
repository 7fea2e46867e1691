# label: secure
# round: 3
import configparser


def threshold(path):
    cfg = configparser.ConfigParser()
    cfg.read(path)
    return float(cfg["limits"]["threshold"])
