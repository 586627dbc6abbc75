#!/bin/bash
set -euo pipefail
cat <<CONFIG >> /etc/ecs/ecs.config
ECS_CLUSTER=${cluster_name}
ECS_CONTAINER_INSTANCE_PROPAGATE_TAGS_FROM=ec2_instance
ECS_ENABLE_SPOT_INSTANCE_DRAINING=true
CONFIG
