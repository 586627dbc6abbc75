api_replicas = 8
