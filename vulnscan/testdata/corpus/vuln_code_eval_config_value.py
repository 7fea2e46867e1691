# label: vulnerable CWE-94
# round: 3
import configparser


def threshold(path):
    cfg = configparser.ConfigParser()
    cfg.read(path)
    return eval(cfg["limits"]["threshold"])
