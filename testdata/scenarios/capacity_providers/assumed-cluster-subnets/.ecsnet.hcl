# The cluster's group size is known only after apply; the platform team's sizing:
assume {
  cluster "edge-cache" {
    instance_type      = "c5.large"
    max_instances      = 6
    availability_zones = ["eu-west-1a"]
  }
}
