# label: secure
# round: 1
import asyncio


async def convert(src, dst):
    proc = await asyncio.create_subprocess_exec("ffmpeg", "-i", src, dst)
    await proc.wait()
