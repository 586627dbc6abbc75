# What the platform stack provisions, with two typos: the cluster is "platform-ec2", and
# the second subnet ends in ...022.
assume {
  cluster "platfrom-ec2" {
    instance_type = "c5.large"
    max_instances = 2
  }

  subnet "subnet-0c4d5e6f7a8b90011" {
    cidr_block        = "10.60.1.0/24"
    availability_zone = "eu-west-1a"
  }

  subnet "subnet-0c4d5e6f7a8b90220" {
    cidr_block        = "10.60.2.0/24"
    availability_zone = "eu-west-1b"
  }
}
