network_mode = "bridge"
