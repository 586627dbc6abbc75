orders_count = 4
