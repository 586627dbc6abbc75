# Second AZ: two /26 subnets instead of one.
availability_zones = ["us-west-2a", "us-west-2b"]
