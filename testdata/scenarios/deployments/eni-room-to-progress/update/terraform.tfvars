search_tasks = 6
