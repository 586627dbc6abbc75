instance_type = "c5.large"
max_instances = 3
desired_count = 8
