instance_type = "m5.xlarge"
