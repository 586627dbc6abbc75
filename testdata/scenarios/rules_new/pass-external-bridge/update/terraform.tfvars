collectors = 3
