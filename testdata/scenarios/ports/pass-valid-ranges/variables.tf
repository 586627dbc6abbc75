variable "rtp_ranges" {
  type    = list(string)
  default = ["10000-10099"]
}
