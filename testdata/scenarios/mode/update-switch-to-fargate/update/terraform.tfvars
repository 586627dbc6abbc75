# Moving the search indexer off the EC2 cluster. Only the service was changed.
launch_type   = "FARGATE"
desired_count = 2
