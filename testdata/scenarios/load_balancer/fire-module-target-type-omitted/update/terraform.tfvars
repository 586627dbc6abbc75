web_count = 4
