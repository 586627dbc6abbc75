instance_type = "i4i.xlarge"
max_instances = 2
desired_count = 12
