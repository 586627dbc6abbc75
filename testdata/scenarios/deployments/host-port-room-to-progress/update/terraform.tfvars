minimum_healthy_percent = 66
