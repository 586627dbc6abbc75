instance_type = "u-18tb1.metal"
max_instances = 1
desired_count = 16
