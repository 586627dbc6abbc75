launch_type   = "EC2"
desired_count = 2
