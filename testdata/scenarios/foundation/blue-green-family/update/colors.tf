# Cut-over: green takes the traffic; blue keeps its tasks until the next release.
locals {
  colors = {
    blue  = { image_tag = "2025.03.1", cpu = 256, memory = 512, desired_count = 8 }
    green = { image_tag = "2025.04.0", cpu = 512, memory = 1024, desired_count = 8 }
  }
}
