# Move the legacy service to awsvpc, which is what the shared module expects.
legacy_network_mode = "awsvpc"
