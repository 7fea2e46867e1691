# label: secure
# round: 3
async def rename(pool, user_id, new_name):
    async with pool.acquire() as conn:
        await conn.execute("UPDATE users SET name = $1 WHERE id = $2", new_name, user_id)
