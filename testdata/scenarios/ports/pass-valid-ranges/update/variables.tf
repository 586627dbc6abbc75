# A second, adjacent block for the extra load of the new region.
variable "rtp_ranges" {
  type    = list(string)
  default = ["10000-10099", "10100-10199"]
}
