# What the platform stack provisions for the shared cluster (its own plan is checked apart).
assume {
  awsvpc_trunking = false

  cluster "shared-prod" {
    instance_type      = "c5.large"
    max_instances      = 4
    availability_zones = ["eu-west-1a", "eu-west-1b"]
  }

  subnet "subnet-0aa11bb22cc33dd44" {
    cidr_block        = "10.20.1.0/24"
    availability_zone = "eu-west-1a"
  }

  subnet "subnet-0ee55ff66aa77bb88" {
    cidr_block        = "10.20.2.0/24"
    availability_zone = "eu-west-1b"
  }
}
