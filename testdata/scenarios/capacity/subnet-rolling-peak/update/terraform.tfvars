# Black Friday: 30 workers. They fit the two /27s (54 addresses), a deployment's 60 do not.
workers = 30
