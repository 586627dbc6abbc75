desired_count = 4
