# Scaled up for the spring sale.
locals {
  legacy_desired_count = 3
}
