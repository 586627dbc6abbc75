# Security asked for per-task security groups: switch to awsvpc.
network_mode = "awsvpc"
