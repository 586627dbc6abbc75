# Static host ports published by the reporting task.
locals {
  static_ports = {
    http = { container = 80, host = 8080 }
  }
}
