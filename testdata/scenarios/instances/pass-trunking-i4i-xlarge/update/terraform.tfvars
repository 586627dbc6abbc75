instance_type = "i4i.large"
max_instances = 2
desired_count = 12
