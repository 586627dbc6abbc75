image_tag = "0.18.0"
