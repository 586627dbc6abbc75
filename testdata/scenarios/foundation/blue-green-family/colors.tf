# Which colour takes traffic: blue runs the current release, green the next one, idle
# until the cut-over.
locals {
  colors = {
    blue  = { image_tag = "2025.03.1", cpu = 256, memory = 512, desired_count = 8 }
    green = { image_tag = "2025.04.0", cpu = 512, memory = 1024, desired_count = 0 }
  }
}
