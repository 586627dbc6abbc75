# The network stack's private subnets (two /26s).
assume {
  subnet "subnet-0d1e2f3a4b5c60011" {
    cidr_block        = "10.70.1.0/26"
    availability_zone = "eu-west-1a"
  }

  subnet "subnet-0d1e2f3a4b5c60022" {
    cidr_block        = "10.70.2.0/26"
    availability_zone = "eu-west-1b"
  }
}
