crawler_count = 3
instance_type = "c5.xlarge"
