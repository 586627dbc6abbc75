# After the first deployment hung: bigger instances and a smaller surge.
instance_type = "m5.xlarge"

services = {
  orders = {
    desired_count  = 6
    container_port = 8080
    image          = "public.ecr.aws/docker/library/nginx:1.27"
    max_percent    = 150
  }
}
