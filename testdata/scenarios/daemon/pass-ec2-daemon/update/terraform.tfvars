instance_type = "r6i.2xlarge"
