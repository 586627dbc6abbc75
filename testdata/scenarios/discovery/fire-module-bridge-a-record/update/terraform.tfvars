cache_count = 3
