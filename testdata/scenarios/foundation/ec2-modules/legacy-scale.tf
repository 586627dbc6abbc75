# How many tasks the legacy web service runs.
locals {
  legacy_desired_count = 2
}
