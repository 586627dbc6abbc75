caches = 2
