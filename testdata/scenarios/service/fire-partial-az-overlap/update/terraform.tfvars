query_count = 6
