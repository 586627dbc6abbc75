desired_count = 2
