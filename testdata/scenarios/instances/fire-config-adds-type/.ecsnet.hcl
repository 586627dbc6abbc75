# A type launched after ecsnet's data was refreshed.
instance_type "c9x.large" {
  max_enis = 3
  source   = "aws ec2 describe-instance-types --instance-types c9x.large"
}
