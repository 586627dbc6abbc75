instance_type = "c7i.large"
max_instances = 3
desired_count = 40
