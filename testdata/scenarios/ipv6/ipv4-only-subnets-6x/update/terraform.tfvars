gateway_count = 4
