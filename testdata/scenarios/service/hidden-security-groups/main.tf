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

locals {
  azs = ["eu-west-1a", "eu-west-1b"]
}

resource "aws_vpc" "this" {
  cidr_block = "10.52.0.0/16"
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(aws_vpc.this.cidr_block, 8, count.index)
  availability_zone = local.azs[count.index]
}

resource "aws_security_group" "shared" {
  name_prefix = "shared-"
  vpc_id      = aws_vpc.this.id
}

resource "aws_ecs_cluster" "this" {
  name = "storefront"
}

# Only its own two groups: the hidden list holds at most 2 (NET042 passes from the plan alone).
module "catalog" {
  source      = "./modules/service"
  name        = "catalog"
  cluster_arn = aws_ecs_cluster.this.arn
  vpc_id      = aws_vpc.this.id
  subnet_ids  = aws_subnet.private[*].id
}

# Its own two groups plus the shared one the caller passes: at most 3 (NET042 passes).
module "checkout" {
  source             = "./modules/service"
  name               = "checkout"
  cluster_arn        = aws_ecs_cluster.this.arn
  vpc_id             = aws_vpc.this.id
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.shared.id]
}

resource "aws_security_group" "partner" {
  count       = 4
  name_prefix = "partner-${count.index}-"
  vpc_id      = aws_vpc.this.id
}

# Its own two groups plus the four partner groups the caller passes: 6, one more than ECS
# allows. The sources count them (NET042 fires); from the plan alone the hidden list holds
# some of these 6 candidates, not known how many, so NET042 is a note.
module "search" {
  source             = "./modules/service"
  name               = "search"
  cluster_arn        = aws_ecs_cluster.this.arn
  vpc_id             = aws_vpc.this.id
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = aws_security_group.partner[*].id
}

# Groups of another team, by id, in a local of the caller: the plan does not show locals,
# so from the plan alone the list may take any ids from that input and NET042 keeps its
# note, which says so. The sources count them: 2 + 2 = 4 (NET042 passes).
locals {
  platform_security_groups = ["sg-0a1b2c3d4e5f60001", "sg-0a1b2c3d4e5f60002"]
}

module "orders" {
  source             = "./modules/service"
  name               = "orders"
  cluster_arn        = aws_ecs_cluster.this.arn
  vpc_id             = aws_vpc.this.id
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = local.platform_security_groups
}
