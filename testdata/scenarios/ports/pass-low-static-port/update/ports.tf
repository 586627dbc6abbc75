# Static host ports published by the reporting task. JMX added for the new monitoring
# vendor, who asked for "a high port".
locals {
  static_ports = {
    http = { container = 80, host = 8080 }
    jmx  = { container = 9010, host = 55000 }
  }
}
