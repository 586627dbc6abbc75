instance_type = "c4.large"
max_instances = 3
desired_count = 8
