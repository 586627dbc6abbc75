desired_count = 6
