resource_name_a_records = false
