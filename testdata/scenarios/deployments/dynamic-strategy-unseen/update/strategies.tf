# The release train now decides the strategy at apply time: the dynamic block's value is
# known only after apply, and nothing in the configuration ecsnet can see writes it.
resource "terraform_data" "release" {
  input = { strategy = "ROLLING", train = "2026-12" }
}

locals {
  strategies = [terraform_data.release.output.strategy]
}
