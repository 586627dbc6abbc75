desired_count = 4
image_tag     = "1.1.0"
