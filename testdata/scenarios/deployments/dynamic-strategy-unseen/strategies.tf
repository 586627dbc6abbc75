locals {
  strategies = ["ROLLING"]
}
