api_replicas = 3
