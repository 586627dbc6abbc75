minimum_healthy_percent = 50
