# label: vulnerable CWE-78
# round: 1
import asyncio


async def convert(src, dst):
    proc = await asyncio.create_subprocess_shell(f"ffmpeg -i {src} {dst}")
    await proc.wait()
