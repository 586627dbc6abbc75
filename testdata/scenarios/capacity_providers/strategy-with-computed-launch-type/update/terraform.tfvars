max_size = 3
