# Scale out for the holiday season.
desired_count = 4
instance_type = "m5.xlarge"
