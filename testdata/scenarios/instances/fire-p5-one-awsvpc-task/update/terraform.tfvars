instance_type = "p5.48xlarge"
max_instances = 2
desired_count = 3
