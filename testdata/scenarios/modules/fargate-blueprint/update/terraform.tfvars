# Launch week: more frontends, and a new crystal service.
services = {
  frontend = {
    image          = "public.ecr.aws/aws-containers/ecsdemo-frontend:latest"
    container_port = 3000
    desired_count  = 6
  }
  catalog = {
    image          = "public.ecr.aws/aws-containers/ecsdemo-nodejs:latest"
    container_port = 3000
    desired_count  = 2
    spot_weight    = 2
  }
  crystal = {
    image          = "public.ecr.aws/aws-containers/ecsdemo-crystal:latest"
    container_port = 3000
    desired_count  = 2
  }
}
