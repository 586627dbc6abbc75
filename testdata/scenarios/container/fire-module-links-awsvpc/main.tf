terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.47.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# The wiki moved from the bridge-mode EC2 cluster to Fargate; the container list was
# copied as it was.
module "wiki" {
  source = "./modules/stack"

  name         = "wiki"
  network_mode = "awsvpc"
  containers = [
    {
      name         = "app"
      image        = "requarks/wiki:2.5"
      links        = ["cache:redis"]
      portMappings = [{ containerPort = 3000 }]
    },
    {
      name  = "cache"
      image = "public.ecr.aws/docker/library/redis:7.4"
    },
  ]
}
