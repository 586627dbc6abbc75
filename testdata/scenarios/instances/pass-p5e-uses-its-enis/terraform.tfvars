instance_type = "p5e.48xlarge"
max_instances = 2
desired_count = 6
