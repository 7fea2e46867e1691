# label: vulnerable CWE-89
# round: 3
async def rename(pool, user_id, new_name):
    async with pool.acquire() as conn:
        await conn.execute(f"UPDATE users SET name = '{new_name}' WHERE id = {user_id}")
