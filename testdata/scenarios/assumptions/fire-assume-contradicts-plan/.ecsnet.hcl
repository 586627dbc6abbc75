# Written when the cluster lived in the platform stack: 4 c5.xlarge with trunking.
assume {
  awsvpc_trunking = true

  cluster "platform-ec2" {
    instance_type = "c5.xlarge"
    max_instances = 4
  }
}
