# What the platform stack provisions for the shared cluster and its subnets.
assume {
  cluster "platform-ec2" {
    instance_type      = "c5.large"
    max_instances      = 2
    availability_zones = ["eu-west-1a", "eu-west-1b"]
  }

  subnet "subnet-0c4d5e6f7a8b90011" {
    cidr_block        = "10.60.1.0/24"
    availability_zone = "eu-west-1a"
  }

  subnet "subnet-0c4d5e6f7a8b90022" {
    cidr_block        = "10.60.2.0/24"
    availability_zone = "eu-west-1b"
  }
}
