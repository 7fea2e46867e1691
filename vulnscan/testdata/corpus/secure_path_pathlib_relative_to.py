# label: secure
# round: 1
from pathlib import Path

MEDIA = Path("/srv/media").resolve()


def media_bytes(name: str) -> bytes:
    target = (MEDIA / name).resolve()
    target.relative_to(MEDIA)
    return target.read_bytes()
