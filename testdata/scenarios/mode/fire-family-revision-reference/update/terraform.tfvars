desired_count = 3
