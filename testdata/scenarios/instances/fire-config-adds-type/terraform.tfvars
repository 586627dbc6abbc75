instance_type = "c9x.large"
max_instances = 2
desired_count = 6
