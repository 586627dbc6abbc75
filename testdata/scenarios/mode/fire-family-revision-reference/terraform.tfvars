desired_count = 1
