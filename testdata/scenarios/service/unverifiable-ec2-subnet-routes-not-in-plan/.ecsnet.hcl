# The shared cluster lives in the platform team's state.
assume {
  cluster "shared-ec2" {
    instance_type      = "m5.xlarge"
    max_instances      = 6
    availability_zones = ["eu-west-1a", "eu-west-1b"]
  }
}
