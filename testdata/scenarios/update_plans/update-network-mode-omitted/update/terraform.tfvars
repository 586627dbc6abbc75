intranet_count = 3
worker_count   = 4
